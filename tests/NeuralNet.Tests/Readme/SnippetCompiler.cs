using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace NeuralNet.Tests.Readme;

/// <summary>
/// Compiles C# source as a new console app would (top-level statements, nullable on, a console project's implicit
/// usings) against the .NET runtime, the three packages' assemblies (NeuralNet, NeuralNet.Data, NeuralNet.Onnx) and
/// what they reference: no test code, no test packages.
/// </summary>
internal static class SnippetCompiler
{
    /// <summary>The global usings of a console project (<c>ImplicitUsings</c> enabled in Microsoft.NET.Sdk).</summary>
    private const string ImplicitUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Threading;
        global using System.Threading.Tasks;
        """;

    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private static readonly Lazy<IReadOnlyList<MetadataReference>> References = new(LoadReferences);

    private static readonly Lazy<SyntaxTree> ImplicitUsingsTree =
        new(() => CSharpSyntaxTree.ParseText(ImplicitUsings, ParseOptions, "ImplicitUsings.g.cs"));

    /// <summary>Compiles <paramref name="source"/>; the image is null when there are errors or warnings.</summary>
    /// <returns>The assembly image and every warning and error, each as "file(line,column): id: message".</returns>
    public static (byte[]? Image, IReadOnlyList<string> Diagnostics) Compile(string source, string assemblyName)
    {
        SyntaxTree program = CSharpSyntaxTree.ParseText(source, ParseOptions, "Program.cs");
        var compilation = CSharpCompilation.Create(
            assemblyName,
            [ImplicitUsingsTree.Value, program],
            References.Value,
            new CSharpCompilationOptions(
                OutputKind.ConsoleApplication,
                nullableContextOptions: NullableContextOptions.Enable,
                optimizationLevel: OptimizationLevel.Release,
                concurrentBuild: false));

        using var image = new MemoryStream();
        var result = compilation.Emit(image);
        string[] diagnostics = result.Diagnostics
            .Where(d => d.Severity is DiagnosticSeverity.Warning or DiagnosticSeverity.Error)
            .Select(Describe)
            .ToArray();
        return (result.Success && diagnostics.Length == 0 ? image.ToArray() : null, diagnostics);
    }

    /// <summary>Runs a compiled program's entry point with the console captured; returns what it printed.</summary>
    /// <remarks>Callers belong to the console collection: <see cref="Console.SetOut(TextWriter)"/> is process-wide.</remarks>
    public static string Run(byte[] image)
    {
        MethodInfo entryPoint = Assembly.Load(image).EntryPoint
            ?? throw new InvalidOperationException("The compiled program has no entry point.");
        TextWriter original = Console.Out;
        using var captured = new StringWriter();
        Console.SetOut(captured);
        try
        {
            entryPoint.Invoke(null, entryPoint.GetParameters().Length == 0 ? [] : [Array.Empty<string>()]);
        }
        finally
        {
            Console.SetOut(original);
        }

        return captured.ToString().Replace("\r\n", "\n");
    }

    private static string Describe(Diagnostic diagnostic)
    {
        FileLinePositionSpan span = diagnostic.Location.GetMappedLineSpan();
        string where = span.IsValid
            ? $"{span.Path}({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1})"
            : "(no location)";
        return $"{where}: {diagnostic.Severity.ToString().ToLowerInvariant()} {diagnostic.Id}: {diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}";
    }

    /// <summary>The runtime's assemblies, the three packages' assemblies, and every assembly they reference, transitively.</summary>
    private static IReadOnlyList<MetadataReference> LoadReferences()
    {
        string runtime = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var paths = new SortedSet<string>(StringComparer.Ordinal);
        string trusted = (string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!;
        foreach (string path in trusted.Split(Path.PathSeparator))
        {
            if (string.Equals(Path.GetDirectoryName(path), runtime, StringComparison.Ordinal))
            {
                paths.Add(path);
            }
        }

        var visited = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<Assembly>(LibraryAssemblies.All);
        while (pending.Count > 0)
        {
            Assembly assembly = pending.Pop();
            if (!visited.Add(assembly.GetName().Name!) || assembly.Location.Length == 0)
            {
                continue;
            }

            paths.Add(assembly.Location);
            foreach (AssemblyName reference in assembly.GetReferencedAssemblies())
            {
                if (!visited.Contains(reference.Name!))
                {
                    pending.Push(Assembly.Load(reference));
                }
            }
        }

        return [.. paths.Select(path => MetadataReference.CreateFromFile(path))];
    }
}
