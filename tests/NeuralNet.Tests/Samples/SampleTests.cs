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
    public void FashionMnist_MlpOneEpoch_RunsWithPlainLinesAndEndsWithTestAccuracy()
    {
        string plot = Path.Combine(files.Directory, "training.png");

        SampleRun run = SampleRun.Of(FashionMnistSample.Program.Main, "--model", "mlp", "--data", FashionMnistData.Directory!, "--epochs", "1", "--plot", plot);

        run.ExitCode.Should().Be(0, run.Errors);
        run.Lines.Should().Contain(l => l.StartsWith("epoch   1: loss ", StringComparison.Ordinal));
        run.Lines.Should().Contain(l => l.StartsWith("9 Ankle boot", StringComparison.Ordinal));
        string.Join('\n', run.Lines).Should().Contain("Linear(784 → 512").And.NotContain("Conv2d");
        string.Concat(run.Lines).Should().NotContain("\u001b", "redirected output must be free of ANSI escape codes");
        SampleRun.NumberAfter(run.LastLine, "test accuracy: ").Should().BeGreaterThan(0.8);
        ShouldBePng(plot);
    }

    [FashionMnistFact]
    public void FashionMnist_CnnByDefaultOnAFewHundredImages_TrainsAConvolutionalNetworkAndReportsTimeMemoryAndAccuracy()
    {
        string plot = Path.Combine(files.Directory, "cnn.png");

        SampleRun run = SampleRun.Of(FashionMnistSample.Program.Main, "--data", FashionMnistData.Directory!, "--limit", "300", "--epochs", "1", "--plot", plot);

        run.ExitCode.Should().Be(0, run.Errors);
        string output = string.Join('\n', run.Lines);
        output.Should().Contain("Conv2d(1 → 32").And.Contain("MaxPool2d").And.Contain("input shape: (1, 28, 28)").And.NotContain("BatchNorm2d");
        output.Should().Contain("label smoothing 0.1; augmentation: flips").And.Contain("300 training, 300 test images");
        run.Lines.Should().Contain(l => l.StartsWith("epoch   1: loss ", StringComparison.Ordinal));
        run.Lines.Should().Contain(l => l.StartsWith("9 Ankle boot", StringComparison.Ordinal));
        run.Lines[^2].Should().MatchRegex(@"^wall time \d+\.\d s \(CPU \d+\.\d s, \d+ cores\), peak working set \d+ MB$");
        run.LastLine.Should().MatchRegex(@"^test accuracy: 0\.\d{4}$");
        ShouldBePng(plot);
    }

    [FashionMnistFact]
    public void FashionMnist_SmallOnAFewHundredImages_TrainsTheReferenceNetworkWithoutBatchNormOrAugmentation()
    {
        SampleRun run = SampleRun.Of(
            FashionMnistSample.Program.Main, "--model", "small", "--data", FashionMnistData.Directory!, "--limit", "200", "--epochs", "1", "--plot", Path.Combine(files.Directory, "small.png"));

        run.ExitCode.Should().Be(0, run.Errors);
        string output = string.Join('\n', run.Lines);
        output.Should().Contain("Conv2d(32 → 64").And.Contain("Linear(3136 → 128").And.NotContain("BatchNorm2d").And.NotContain("augmentation");
        run.LastLine.Should().MatchRegex(@"^test accuracy: 0\.\d{4}$");
    }

    [FashionMnistFact]
    public void FashionMnist_Augmentation_ChangesWhatTheNetworkLearns()
    {
        string[] common = ["--model", "small", "--data", FashionMnistData.Directory!, "--limit", "200", "--epochs", "1", "--plot", Path.Combine(files.Directory, "a.png")];

        string plain = SampleRun.Of(FashionMnistSample.Program.Main, common).Lines.Single(l => l.StartsWith("epoch   1: loss ", StringComparison.Ordinal));
        string flipped = SampleRun.Of(FashionMnistSample.Program.Main, [.. common, "--flip"]).Lines.Single(l => l.StartsWith("epoch   1: loss ", StringComparison.Ordinal));
        string shifted = SampleRun.Of(FashionMnistSample.Program.Main, [.. common, "--shift", "2"]).Lines.Single(l => l.StartsWith("epoch   1: loss ", StringComparison.Ordinal));

        static string LossOf(string line) => line.Split(',')[0];
        LossOf(flipped).Should().NotBe(LossOf(plain));
        LossOf(shifted).Should().NotBe(LossOf(plain)).And.NotBe(LossOf(flipped));
    }

    [FashionMnistFact]
    public void FashionMnist_BatchNormAndHeInit_ChangeTheNetworkAndItsTraining()
    {
        string[] common = ["--data", FashionMnistData.Directory!, "--limit", "200", "--epochs", "1", "--shift", "0", "--no-flip", "--plot", Path.Combine(files.Directory, "b.png")];

        SampleRun plain = SampleRun.Of(FashionMnistSample.Program.Main, common);
        SampleRun normalized = SampleRun.Of(FashionMnistSample.Program.Main, [.. common, "--batch-norm"]);
        SampleRun he = SampleRun.Of(FashionMnistSample.Program.Main, [.. common, "--init", "he"]);

        static string Epoch(SampleRun run) => run.Lines.Single(l => l.StartsWith("epoch   1: loss ", StringComparison.Ordinal)).Split(" (")[0];
        string.Join('\n', plain.Lines).Should().NotContain("BatchNorm2d");
        string.Join('\n', normalized.Lines).Should().Contain("BatchNorm2d(32").And.Contain("BatchNorm2d(64").And.Contain("Conv2d(1 → 32, 3×3, padding (1, 1), no bias)");
        Epoch(normalized).Should().NotBe(Epoch(plain));
        Epoch(he).Should().NotBe(Epoch(plain));
    }

    [Theory]
    [InlineData(new[] { "--model", "mlp", "--shift", "2" }, "--shift, --flip and --batch-norm are for the CNNs")]
    [InlineData(new[] { "--pixels", "per-pixel" }, "use --pixels global or unit with them")]
    [InlineData(new[] { "--validation", "1" }, "--validation needs a fraction in [0, 1)")]
    [InlineData(new[] { "--label-smoothing", "1" }, "--label-smoothing needs a number in [0, 1)")]
    public void FashionMnist_ContradictoryOptions_AreRejectedBeforeLoadingData(string[] args, string message)
    {
        SampleRun run = SampleRun.Of(FashionMnistSample.Program.Main, [.. args, "--data", Path.Combine(files.Directory, "nothing-here")]);

        run.ExitCode.Should().Be(1);
        run.Errors.Should().Contain(message).And.Contain("usage: FashionMnist");
    }

    [Fact]
    public void FashionMnist_HelpOfTheMlp_ShowsTheMlpRecipeDefaults()
    {
        SampleRun run = SampleRun.Of(FashionMnistSample.Program.Main, "--model", "mlp", "--help");

        run.ExitCode.Should().Be(0, run.Errors);
        string usage = string.Join('\n', run.Lines);
        usage.Should().Contain("Defaults shown are those of --model mlp").And.Contain("(default 30)").And.Contain("(default 512,256)").And.Contain("(default per-pixel)");
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
    [InlineData("FashionMnist", new[] { "--model NAME", "(default cnn)", "--data DIR", "--epochs N", "(default 15)", "--batch N", "(default 64)", "--lr X", "(default 0.05)", "--constant-lr", "--pixels HOW", "(default global)", "--unit-pixels", "--momentum X", "(default 0.9)", "--weight-decay X", "(default 0.0005)", "--hidden A,B", "(default 128)", "--channels A,B", "(default 32,64)", "--batch-norm", "(default: off)", "--no-batch-norm", "--init NAME", "(default torch)", "--dropout P", "(default 0.25; 0 for none)", "--label-smoothing X", "(default 0.1)", "(default 0.1)", "--shift N", "(default 0)", "--flip", "--no-flip", "--validation X", "--limit N", "--seed N", "(default 1)", "--plot FILE", "(default fashion-mnist-training.png)" })]
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
    [InlineData("FashionMnist", "--model", "resnet")]
    [InlineData("FashionMnist", "--pixels", "raw")]
    public void Sample_BadValue_NamesTheOptionAndExitsNonZero(string sample, string option, string value)
    {
        SampleRun run = SampleRun.Of(MainOf(sample), option, value);

        run.ExitCode.Should().NotBe(0);
        run.Errors.Should().Contain($"{option} needs").And.Contain($"'{value}'").And.Contain($"usage: {sample} ");
    }
}
