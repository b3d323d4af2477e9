using System.Reflection;
using NeuralNet.Data;

namespace NeuralNet.Tests;

/// <summary>No machine-specific folder in the three packages' public API: callers say where their files are.</summary>
public sealed class PublicApiPathTests
{
    private static readonly string[] MachinePaths = ["/usr/", "/home/", "/work/", "/tmp/", ":\\"];

    [Fact]
    public void PublicConstantsAndDefaultArguments_HoldNoMachinePath()
    {
        var found = new List<string>();
        foreach (Type type in LibraryAssemblies.All.SelectMany(a => a.GetExportedTypes()))
        {
            const BindingFlags all = BindingFlags.Public | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly;
            // Constants and static read-only strings (of non-generic types, whose static fields can be read).
            foreach (FieldInfo field in type.GetFields(all).Where(f => f.IsStatic && (f.IsLiteral || f.IsInitOnly) && !type.ContainsGenericParameters))
            {
                if (field.FieldType == typeof(string) && field.GetValue(null) is string value && IsMachinePath(value))
                {
                    found.Add($"{type.Name}.{field.Name} = {value}");
                }
            }

            foreach (MethodBase method in type.GetMethods(all).Cast<MethodBase>().Concat(type.GetConstructors()))
            {
                foreach (ParameterInfo parameter in method.GetParameters().Where(p => p.HasDefaultValue && p.DefaultValue is string))
                {
                    if (IsMachinePath((string)parameter.DefaultValue!))
                    {
                        found.Add($"{type.Name}.{method.Name}({parameter.Name} = {parameter.DefaultValue})");
                    }
                }
            }
        }

        found.Should().BeEmpty("a package runs on machines whose folders it cannot know");
    }

    [Fact]
    public void FashionMnistLoad_TakesTheFolderWithoutADefault()
    {
        ParameterInfo directory = typeof(FashionMnist).GetMethod(nameof(FashionMnist.Load))!.GetParameters().Single();

        directory.HasDefaultValue.Should().BeFalse();
        typeof(FashionMnist).GetField("DefaultDirectory").Should().BeNull();
    }

    private static bool IsMachinePath(string value) => MachinePaths.Any(p => value.Contains(p, StringComparison.Ordinal));
}
