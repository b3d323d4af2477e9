namespace NeuralNet.Tests.Readme;

/// <summary>
/// Runs README.md's quick start and training recipe exactly as shown, compiled as console programs
/// (<see cref="SnippetCompiler"/>), and checks what they print.
/// </summary>
[Collection(Samples.ConsoleCollection.Name)]
public sealed class ReadmeTests
{
    [Fact]
    public void QuickStart_RunAsAConsoleProgram_LearnsXor()
    {
        string[] lines = RunFirstBlockUnder("## Quick start");

        string output = string.Join("\n", lines);
        output.Should().Contain("Linear(2 → 8)").And.Contain("trainable parameters: 42;");
        lines[^2].Should().StartWith("epoch 200: loss ").And.Contain(", accuracy 1.0000");
        lines[^1].Should().Be("predicted: [0, 1, 1, 0]");
    }

    [Fact]
    public void TrainingRecipe_RunAsAConsoleProgram_LearnsTheSyntheticProblem()
    {
        string[] lines = RunFirstBlockUnder("## Training features");

        lines[0].Should().StartWith("epoch  1/30 - loss ");
        lines.Where(l => l.StartsWith("epoch ", StringComparison.Ordinal))
            .Select(l => NumberAfter(l, " - val_accuracy "))
            .Max().Should().BeGreaterThan(0.8);
        NumberAfter(lines[^1], "accuracy: ").Should().BeGreaterThan(0.8);
    }

    private static string[] RunFirstBlockUnder(string heading)
    {
        string root = MarkdownCode.RepositoryRoot();
        string[] readme = File.ReadAllLines(Path.Combine(root, "README.md"));
        int headingLine = Array.IndexOf(readme, heading) + 1;
        headingLine.Should().BePositive("README.md should have the heading {0}", heading);
        IReadOnlyList<CodeBlock> blocks = MarkdownCode.Read(root, "README.md");
        CodeBlock block = blocks.First(b => b.Language == "csharp" && b.FenceLine > headingLine);

        (byte[]? image, IReadOnlyList<string> diagnostics) =
            SnippetCompiler.Compile(MarkdownCode.ProgramSource(blocks, block), "ReadmeBlock");
        image.Should().NotBeNull(string.Join("\n", diagnostics));

        return SnippetCompiler.Run(image!).Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    private static double NumberAfter(string line, string label)
    {
        int start = line.IndexOf(label, StringComparison.Ordinal);
        start.Should().BeGreaterThanOrEqualTo(0, "'{0}' should contain '{1}'", line, label);
        start += label.Length;
        int end = start;
        while (end < line.Length && (char.IsDigit(line[end]) || line[end] == '.'))
        {
            end++;
        }

        return double.Parse(line[start..end], System.Globalization.CultureInfo.InvariantCulture);
    }
}
