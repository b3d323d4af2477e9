using System.Text.RegularExpressions;
using NeuralNet.Layers;

namespace NeuralNet.Tests.Layers;

/// <summary>
/// No code outside <c>src/NeuralNet/Layers/</c> names a concrete layer type: the network, trainer, formats and exporters
/// ask layers through <see cref="ILayer{T}"/> members (traits, config, buffers, ONNX form), so a new layer never needs
/// their code changed. Documentation cross-references (<c>///</c> lines) may still name layers.
/// </summary>
public sealed class LayerTypeIsolationTests
{
    [Fact]
    public void SourceOutsideLayers_NamesNoConcreteLayerType()
    {
        string[] names = [.. typeof(ILayer<>).Assembly.GetTypes()
            .Where(t => t.IsPublic && t.IsClass && t.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(ILayer<>)))
            .Select(t => t.Name.Split('`')[0])];
        var pattern = new Regex($@"\b({string.Join('|', names)})\s*<", RegexOptions.CultureInvariant);
        string source = Path.Combine(RepositoryRoot(), "src", "NeuralNet");
        string layers = Path.Combine(source, "Layers") + Path.DirectorySeparatorChar;

        string[] offenders = [.. Directory.EnumerateFiles(source, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.StartsWith(layers, StringComparison.Ordinal) && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (File: f, Line: i + 1, Text: line)))
            .Where(l => !l.Text.TrimStart().StartsWith("///", StringComparison.Ordinal) && pattern.IsMatch(l.Text))
            .Select(l => $"{Path.GetRelativePath(source, l.File)}:{l.Line}: {l.Text.Trim()}")];

        names.Should().Contain(["Linear", "BatchNorm1d", "Softmax", "Dropout"], "the check must know the layer types");
        offenders.Should().BeEmpty();
    }

    [Fact]
    public void ThePattern_WouldCatchATypeTest()
    {
        var pattern = new Regex(@"\b(Softmax|BatchNorm1d)\s*<");

        pattern.IsMatch("if (layer is BatchNorm1d<T> norm)").Should().BeTrue();
        pattern.IsMatch("SoftmaxMath.Softmax<T>(column, column);").Should().BeTrue("a false alarm is fixed by renaming, never by weakening the check");
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "NeuralNet.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("NeuralNet.sln not found above " + AppContext.BaseDirectory);
    }
}
