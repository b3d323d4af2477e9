namespace NeuralNet.Tests.Readme;

public sealed class ReadmeTests
{
    [Fact]
    public void QuickStart_LearnsXor()
    {
        using var console = new StringWriter();

        (Network<float> network, NeuralNet.Training.TrainingHistory history, int[] predicted) = QuickStart.Run(console);

        predicted.Should().Equal(0, 1, 1, 0);
        history.Last.TrainingAccuracy.Should().Be(1.0);
        console.ToString().Should().Contain("Linear(2 → 8)").And.Contain("epoch 200:");
        network.ParameterCount.Should().Be(24 + 18);
    }

    [Fact]
    public void TrainingRecipe_WithEveryFeatureOn_LearnsASeparableProblem()
    {
        var random = new Random(3);
        var x = MathNet.Numerics.LinearAlgebra.Matrix<float>.Build.Dense(20, 300, (_, _) => (float)((random.NextDouble() * 2) - 1));
        int[] labels = [.. Enumerable.Range(0, 300).Select(j => x[0, j] + x[1, j] > 0.3f ? 2 : x[2, j] > 0 ? 1 : 0)];
        var data = NeuralNet.Data.Dataset<float>.ForClassification(x, labels, 3);
        using var console = new StringWriter();

        (Network<float> network, NeuralNet.Training.TrainingHistory history) = TrainingRecipe.Run(data, console);

        history.Should().NotBeEmpty();
        console.ToString().Should().StartWith("epoch  1/30 - loss ");
        history.Max(e => e.ValidationAccuracy!.Value).Should().BeGreaterThan(0.8);
        NeuralNet.Metrics.Classification.Accuracy(labels, network.PredictClass(x)).Should().BeGreaterThan(0.8);
    }

    [Theory]
    [InlineData("QuickStart.cs", "quick start")]
    [InlineData("TrainingRecipe.cs", "training recipe")]
    public void Readme_ShowsTheCompiledSnippetVerbatim(string file, string marker)
    {
        string root = RepositoryRoot();
        string source = File.ReadAllText(Path.Combine(root, "tests", "NeuralNet.Tests", "Readme", file));
        string readme = File.ReadAllText(Path.Combine(root, "README.md"));
        string begin = "// begin " + marker, end = "// end " + marker;
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
