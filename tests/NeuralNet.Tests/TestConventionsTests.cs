using System.Reflection;
using System.Text.RegularExpressions;

namespace NeuralNet.Tests;

/// <summary>
/// The suite's own conventions (see tests/README.md): test folders and namespaces mirror the library's, test classes
/// end in <c>Tests</c>, and test methods are named <c>Subject_Condition_ExpectedResult</c> or <c>Subject_ExpectedResult</c>.
/// </summary>
public sealed partial class TestConventionsTests
{
    /// <summary>Folders that test repository-level things rather than a source folder of the three packages.</summary>
    private static readonly string[] RepositoryFolders = ["Readme", "Samples"];

    private static IEnumerable<Type> TestClasses =>
        typeof(TestConventionsTests).Assembly.GetTypes()
            .Where(t => t.GetMethods().Any(m => m.GetCustomAttributes<FactAttribute>().Any()));

    [Fact]
    public void TestNamespaces_EachMirrorsALibraryNamespaceOrARepositoryFolder()
    {
        HashSet<string> library = [.. LibraryAssemblies.All.SelectMany(a => a.GetTypes()).Select(t => t.Namespace).OfType<string>()];

        string[] strays = [.. TestClasses.Select(t => t.Namespace!).Distinct()
            .Where(ns => !library.Contains("NeuralNet" + ns["NeuralNet.Tests".Length..])
                && !RepositoryFolders.Any(f => ns == $"NeuralNet.Tests.{f}"))];

        strays.Should().BeEmpty("a test folder is named after the library namespace (source folder) it tests");
    }

    [Fact]
    public void TestClasses_EndInTests()
    {
        TestClasses.Where(t => !t.Name.EndsWith("Tests", StringComparison.Ordinal)).Select(t => t.FullName).Should().BeEmpty();
    }

    [Fact]
    public void TestMethods_AreNamedSubjectConditionExpectedResult()
    {
        string[] misnamed = [.. TestClasses
            .SelectMany(t => t.GetMethods().Where(m => m.GetCustomAttributes<FactAttribute>().Any()).Select(m => $"{t.Name}.{m.Name}"))
            .Where(name => !TestName().IsMatch(name.Split('.')[1]))];

        misnamed.Should().BeEmpty("test methods are Subject_Condition_ExpectedResult or Subject_ExpectedResult, in PascalCase segments");
    }

    [GeneratedRegex("^[A-Z][A-Za-z0-9]*(_[A-Z0-9][A-Za-z0-9]*){1,2}$")]
    private static partial Regex TestName();
}
