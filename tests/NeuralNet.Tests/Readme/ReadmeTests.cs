namespace NeuralNet.Tests.Readme;

/// <summary>
/// Runs README.md's quick starts and training recipe exactly as shown, compiled as console programs
/// (<see cref="SnippetCompiler"/>), and checks what they print; the iris quick start is also samples/Iris/Program.cs.
/// </summary>
[Collection(Samples.ConsoleCollection.Name)]
public sealed class ReadmeTests
{
    private const string IrisHeading = "## Quick start: iris from a CSV file";
    private const string XorHeading = "## Quick start: XOR, the layout underneath";

    [Fact]
    public void IrisQuickStart_IsTheIrisSampleWordForWord()
    {
        string root = MarkdownCode.RepositoryRoot();

        string readme = FirstBlockUnder(IrisHeading).Code;
        string program = File.ReadAllText(Path.Combine(root, "samples", "Iris", "Program.cs")).Replace("\r\n", "\n");

        readme.TrimEnd('\n').Should().Be(program.TrimEnd('\n'), "samples/Iris/Program.cs is the README's iris quick start");
    }

    [Fact]
    public void IrisQuickStart_RunAsAConsoleProgramBesideIrisCsv_PredictsSetosaWithHighAccuracy()
    {
        // The program reads iris.csv from, and saves iris.nnet in, the working directory, as `dotnet run` beside the
        // copied file would. The working directory is process-wide: the console collection runs one such test at a time.
        string root = MarkdownCode.RepositoryRoot();
        string folder = Directory.CreateTempSubdirectory("nnet-readme-iris-").FullName;
        File.Copy(Path.Combine(root, "samples", "Iris", "iris.csv"), Path.Combine(folder, "iris.csv"));
        string original = Environment.CurrentDirectory;
        string[] lines;
        try
        {
            Environment.CurrentDirectory = folder;
            lines = RunFirstBlockUnder(IrisHeading);
        }
        finally
        {
            Environment.CurrentDirectory = original;
        }

        File.Exists(Path.Combine(folder, "iris.nnet")).Should().BeTrue("the quick start saves the model before loading it");
        Directory.Delete(folder, recursive: true);
        lines[0].Should().StartWith("epoch  1/50 - loss ", "TrainerOptions.Verbose logs a Keras-style line per epoch");
        lines.Count(l => l.StartsWith("epoch ", StringComparison.Ordinal)).Should().Be(50);
        NumberAfter(lines[^2], "test accuracy: ").Should().BeGreaterThanOrEqualTo(0.9);
        lines[^1].Should().Be("setosa");
    }

    [Fact]
    public void QuickStart_RunAsAConsoleProgram_LearnsXor()
    {
        string[] lines = RunFirstBlockUnder(XorHeading);

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

    private static CodeBlock FirstBlockUnder(string heading)
    {
        string root = MarkdownCode.RepositoryRoot();
        string[] readme = File.ReadAllLines(Path.Combine(root, "README.md"));
        int headingLine = Array.IndexOf(readme, heading) + 1;
        headingLine.Should().BePositive("README.md should have the heading {0}", heading);
        return MarkdownCode.Read(root, "README.md").First(b => b.Language == "csharp" && b.FenceLine > headingLine);
    }

    private static string[] RunFirstBlockUnder(string heading)
    {
        CodeBlock block = FirstBlockUnder(heading);
        IReadOnlyList<CodeBlock> blocks = MarkdownCode.Read(MarkdownCode.RepositoryRoot(), "README.md");

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
