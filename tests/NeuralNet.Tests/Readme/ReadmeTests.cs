namespace NeuralNet.Tests.Readme;

public sealed class ReadmeTests
{
    [Fact]
    public void QuickStartLearnsXor()
    {
        using var console = new StringWriter();

        (Network<float> network, NeuralNet.Training.TrainingHistory history, int[] predicted) = QuickStart.Run(console);

        predicted.Should().Equal(0, 1, 1, 0);
        history.Last.TrainingAccuracy.Should().Be(1.0);
        console.ToString().Should().Contain("Linear(2 → 8)").And.Contain("epoch 200:");
        network.ParameterCount.Should().Be(24 + 18);
    }

    [Fact]
    public void ReadmeShowsTheCompiledQuickStartVerbatim()
    {
        string root = RepositoryRoot();
        string source = File.ReadAllText(Path.Combine(root, "tests", "NeuralNet.Tests", "Readme", "QuickStart.cs"));
        string readme = File.ReadAllText(Path.Combine(root, "README.md"));
        const string begin = "// begin quick start", end = "// end quick start";
        int start = source.IndexOf(begin, StringComparison.Ordinal) + begin.Length;
        string[] lines = source[start..source.IndexOf(end, StringComparison.Ordinal)]
            .Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Trim().Length > 0).ToArray();
        int indent = lines.Min(l => l.Length - l.TrimStart().Length);
        string snippet = string.Join("\n", lines.Select(l => l[indent..]));

        readme.Replace("\r\n", "\n").Should().Contain(snippet);
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
