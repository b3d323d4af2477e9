using NeuralNet.Tests.Data;

namespace NeuralNet.Tests.Samples;

/// <summary>Runs each sample's entry point as CI does: on a small setting, to completion, checking its last line.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class SampleTests : IDisposable
{
    private readonly TempFiles files = new();

    public void Dispose() => files.Dispose();

    private static void ShouldBePng(string path)
    {
        File.Exists(path).Should().BeTrue($"the sample should write {path}");
        File.ReadAllBytes(path)[..8].Should().Equal(0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A);
    }

    [Fact]
    public void Xor_WithItsDefaults_LearnsTheTruthTable()
    {
        SampleRun run = SampleRun.Of(XorSample.Program.Main);

        run.ExitCode.Should().Be(0);
        string[] predictions = run.Lines[^4..];
        SampleRun.NumberAfter(predictions[0].Split(" (")[0], "0 xor 0 = ").Should().BeLessThan(0.1);
        SampleRun.NumberAfter(predictions[1].Split(" (")[0], "0 xor 1 = ").Should().BeGreaterThan(0.9);
        SampleRun.NumberAfter(predictions[2].Split(" (")[0], "1 xor 0 = ").Should().BeGreaterThan(0.9);
        SampleRun.NumberAfter(predictions[3].Split(" (")[0], "1 xor 1 = ").Should().BeLessThan(0.1);
    }

    [Fact]
    public void Xor_OneEpoch_RunsAndPrintsFourPredictions()
    {
        SampleRun run = SampleRun.Of(XorSample.Program.Main, "--epochs", "1");

        run.ExitCode.Should().Be(0);
        run.Lines.Should().HaveCount(5);
        run.LastLine.Should().StartWith("1 xor 1 = ").And.EndWith("(target 0)");
    }

    [Fact]
    public void Regression_WithDefaults_ReachesTheRequiredRSquaredAndWritesTheScatterPlot()
    {
        string plot = Path.Combine(files.Directory, "scatter.png");

        SampleRun run = SampleRun.Of(RegressionSample.Program.Main, "--plot", plot);

        run.ExitCode.Should().Be(0, run.Errors);
        SampleRun.NumberAfter(run.LastLine, "test R²: ").Should().BeGreaterThanOrEqualTo(0.40);
        run.Lines.Should().Contain(l => l.StartsWith("test MSE: ", StringComparison.Ordinal));
        ShouldBePng(plot);
    }

    [Fact]
    public void Regression_OneEpoch_RunsToCompletion()
    {
        SampleRun run = SampleRun.Of(RegressionSample.Program.Main, "--epochs", "1", "--plot", Path.Combine(files.Directory, "one.png"));

        run.ExitCode.Should().Be(0, run.Errors);
        run.LastLine.Should().MatchRegex(@"^test R²: -?\d+\.\d{4}$");
    }

    [Fact]
    public void FashionMnist_WithoutData_SaysHowToInstallIt()
    {
        SampleRun run = SampleRun.Of(FashionMnistSample.Program.Main, "--data", Path.Combine(files.Directory, "nothing-here"));

        run.ExitCode.Should().Be(2);
        run.Errors.Should().Contain("sudo apt-get install dataset-fashion-mnist");
    }

    [Fact]
    public void FashionMnist_CorruptFile_IsReportedByNameInsteadOfCrashing()
    {
        foreach (string name in NeuralNet.Data.FashionMnist.FileNames)
        {
            files.Write(name + ".gz", [0x50, 0x4B, 0x03, 0x04]); // a zip header, not IDX
        }

        SampleRun run = SampleRun.Of(FashionMnistSample.Program.Main, "--data", files.Directory);

        run.ExitCode.Should().Be(2);
        run.Errors.Should().Contain("train-images-idx3-ubyte.gz: at byte 0: wrong magic number 0x504B0304");
    }

    [Fact]
    public void FashionMnist_UnknownOption_IsRejectedWithUsage()
    {
        SampleRun run = SampleRun.Of(FashionMnistSample.Program.Main, "--epoch", "1");

        run.ExitCode.Should().Be(1);
        run.Errors.Should().Contain("unknown option --epoch").And.Contain("usage: FashionMnist");
    }

    [FashionMnistFact]
    public void FashionMnist_OneEpoch_RunsWithPlainLinesAndEndsWithTestAccuracy()
    {
        string plot = Path.Combine(files.Directory, "training.png");

        SampleRun run = SampleRun.Of(FashionMnistSample.Program.Main, "--data", FashionMnistData.Directory!, "--epochs", "1", "--plot", plot);

        run.ExitCode.Should().Be(0, run.Errors);
        run.Lines.Should().Contain(l => l.StartsWith("epoch   1: loss ", StringComparison.Ordinal));
        run.Lines.Should().Contain(l => l.StartsWith("9 Ankle boot", StringComparison.Ordinal));
        string.Concat(run.Lines).Should().NotContain("\u001b", "redirected output must be free of ANSI escape codes");
        SampleRun.NumberAfter(run.LastLine, "test accuracy: ").Should().BeGreaterThan(0.8);
        ShouldBePng(plot);
    }

    private static Func<string[], int> MainOf(string sample) => sample switch
    {
        "Digits" => Digits.Program.Main,
        "FashionMnist" => FashionMnistSample.Program.Main,
        "Regression" => RegressionSample.Program.Main,
        "Xor" => XorSample.Program.Main,
        _ => throw new ArgumentOutOfRangeException(nameof(sample)),
    };

    [Theory]
    [InlineData("Digits", new[] { "--epochs N", "(default 30)" })]
    [InlineData("FashionMnist", new[] { "--data DIR", "--epochs N", "(default 30)", "--batch N", "(default 64)", "--lr X", "(default 0.05)", "--constant-lr", "--unit-pixels", "--momentum X", "(default 0.9)", "--weight-decay X", "(default 0.0005)", "--hidden A,B", "(default 512,256)", "--dropout P", "--validation X", "--seed N", "(default 1)", "--plot FILE", "(default fashion-mnist-training.png)" })]
    [InlineData("Regression", new[] { "--epochs N", "(default 100)", "--seed N", "(default 1)", "--plot FILE", "(default regression-scatter.png)" })]
    [InlineData("Xor", new[] { "--epochs N", "(default 2000)" })]
    public void Sample_Help_PrintsEveryOptionWithItsDefaultAndExitsZero(string sample, string[] expected)
    {
        foreach (string help in new[] { "--help", "-h" })
        {
            SampleRun run = SampleRun.Of(MainOf(sample), help);

            run.ExitCode.Should().Be(0, run.Errors);
            run.Errors.Should().BeEmpty();
            run.Lines.Should().Contain(l => l.StartsWith($"usage: {sample} ", StringComparison.Ordinal));
            string usage = string.Join('\n', run.Lines);
            usage.Should().Contain("-h, --help");
            foreach (string text in expected)
            {
                usage.Should().Contain(text);
            }

            run.Lines.Should().NotContain(l => l.StartsWith("epoch", StringComparison.Ordinal), "--help must not train");
        }
    }

    [Theory]
    [InlineData("Digits")]
    [InlineData("FashionMnist")]
    [InlineData("Regression")]
    [InlineData("Xor")]
    public void Sample_UnknownOption_PrintsUsageToStandardErrorAndExitsNonZero(string sample)
    {
        SampleRun run = SampleRun.Of(MainOf(sample), "--no-such-option");

        run.ExitCode.Should().NotBe(0);
        run.Lines.Should().BeEmpty();
        run.Errors.Should().Contain("unknown option --no-such-option").And.Contain($"usage: {sample} ");
    }

    [Theory]
    [InlineData("Digits", "--epochs", "0")]
    [InlineData("Regression", "--epochs", "many")]
    [InlineData("Xor", "--epochs", "-3")]
    [InlineData("FashionMnist", "--lr", "fast")]
    public void Sample_BadValue_NamesTheOptionAndExitsNonZero(string sample, string option, string value)
    {
        SampleRun run = SampleRun.Of(MainOf(sample), option, value);

        run.ExitCode.Should().NotBe(0);
        run.Errors.Should().Contain($"{option} needs").And.Contain($"'{value}'").And.Contain($"usage: {sample} ");
    }
}
