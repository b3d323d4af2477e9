using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Training;

namespace NeuralNet.Tests.Training;

public sealed class ConsoleLoggerTests
{
    [Fact]
    public void ConsoleLogger_RedirectedOutput_WritesOneLinePerEpoch()
    {
        var output = new StringWriter();
        Trainer<double> trainer = Classifier(epochs: 3);
        trainer.Callbacks.Add(new ConsoleLogger<double>(output, batchProgress: null, writesToTerminal: false));

        TrainingHistory history = trainer.Fit(TinyProblems.Blobs(10, 1), TinyProblems.Blobs(5, 2));

        output.ToString().Should().NotContain("\r");
        string[] lines = Lines(output);
        lines.Should().HaveCount(3);
        for (int i = 0; i < 3; i++)
        {
            lines[i].Should().MatchRegex(EpochLine(i + 1, 3));
            lines[i].Should().StartWith(string.Create(
                System.Globalization.CultureInfo.InvariantCulture,
                $"epoch {i + 1}/3 - loss {history[i].TrainingLoss:F4} - accuracy {history[i].TrainingAccuracy:F4} - val_loss {history[i].ValidationLoss:F4}"));
        }
    }

    [Fact]
    public void FormatEpoch_RegressionWithoutValidation_OmitsTheAbsentFields()
    {
        var result = new EpochResult(7, 0.25, null, null, null, TimeSpan.FromSeconds(1.5)) { LearningRate = 0.001 };

        ConsoleLogger<double>.FormatEpoch(result, 12).Should().Be("epoch  7/12 - loss 0.2500 - lr 0.001 - 1.50 s");
    }

    [Fact]
    public void ConsoleLogger_Terminal_RedrawsTheBatchProgressInPlaceAndEndsEachEpochWithItsLine()
    {
        var output = new StringWriter();
        Trainer<double> trainer = Classifier(epochs: 2);
        var logger = new ConsoleLogger<double>(output, batchProgress: null, writesToTerminal: true);
        trainer.Callbacks.Add(logger);

        trainer.Fit(TinyProblems.Blobs(10, 1)); // 20 samples in batches of 8: 3 batches per epoch

        logger.BatchProgress.Should().BeTrue();
        string text = output.ToString();
        text.Should().Contain("\repoch 1/2  1/3 [=====>              ] - loss ");
        text.Should().Contain("\repoch 2/2  3/3 [====================] - loss ");
        string[] lines = Lines(output);
        lines.Should().HaveCount(2);
        for (int i = 0; i < 2; i++)
        {
            // What the terminal shows: the text after the last carriage return.
            lines[i].Split('\r')[^1].TrimEnd().Should().MatchRegex(EpochLine(i + 1, 2));
        }
    }

    [Fact]
    public void ConsoleLogger_AnotherWriterOrRedirectedConsole_DrawsNoProgress()
    {
        new ConsoleLogger<double>(new StringWriter()).BatchProgress.Should().BeFalse();
        new ConsoleLogger<double>(new StringWriter(), batchProgress: null, writesToTerminal: false).BatchProgress.Should().BeFalse();
        new ConsoleLogger<double>(new StringWriter(), batchProgress: true).BatchProgress.Should().BeTrue();
        new ConsoleLogger<double>(new StringWriter(), batchProgress: false, writesToTerminal: true).BatchProgress.Should().BeFalse();
    }

    [Fact]
    public void ConsoleLogger_AfterEarlyStoppingRestoresWeights_LastLineNamesTheWeightsEpoch()
    {
        var output = new StringWriter();
        var trainer = new Trainer<double>(TinyProblems.ZeroLine(), new MeanSquaredErrorLoss<double>(), new Sgd<double>(0.01), new TrainerOptions
        {
            Epochs = 60,
            BatchSize = 6,
            Shuffle = false,
            EarlyStopping = new EarlyStopping(3),
        });
        trainer.Callbacks.Add(new ConsoleLogger<double>(output));

        TrainingHistory history = trainer.Fit(TinyProblems.Line(2), TinyProblems.Line(1));

        string[] lines = Lines(output);
        int best = history.BestEpoch!.Value;
        lines.Should().HaveCount(history.Count + 1);
        lines[^2].Should().StartWith($"epoch {history.Count}/60 - loss ");
        lines[^1].Should().Be($"stopped early after epoch {history.Count}; best epoch {best}; the network holds the weights of epoch {best}");
        history.WeightsEpoch.Should().Be(best);
    }

    [Fact]
    public void ConsoleLogger_CompletedRun_WritesNoExtraLine()
    {
        var output = new StringWriter();
        Trainer<double> trainer = Classifier(epochs: 2);
        trainer.Callbacks.Add(new ConsoleLogger<double>(output));

        trainer.Fit(TinyProblems.Blobs(10, 1));

        Lines(output).Should().HaveCount(2);
    }

    [Fact]
    public void ConsoleLogger_StoppedByACallback_SaysSo()
    {
        var output = new StringWriter();
        Trainer<double> trainer = Classifier(epochs: 5);
        trainer.Callbacks.Add(new DelegateCallback(onEpoch: c => { if (c.Epoch == 2) { c.Stop(); } }));
        trainer.Callbacks.Add(new ConsoleLogger<double>(output));

        trainer.Fit(TinyProblems.Blobs(10, 1));

        Lines(output)[^1].Should().Be("stopped by a callback after epoch 2; the network holds the weights of epoch 2");
    }

    private static Trainer<double> Classifier(int epochs) =>
        new(TinyProblems.SmallClassifier(2), new CrossEntropyLoss<double>(), new Sgd<double>(0.1), new TrainerOptions { Epochs = epochs, BatchSize = 8, Seed = 3 });

    private static string[] Lines(StringWriter output) => output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);

    private static string EpochLine(int epoch, int epochs) =>
        $@"^epoch {epoch}/{epochs} - loss \d+\.\d{{4}}( - accuracy \d\.\d{{4}})?( - val_loss \d+\.\d{{4}} - val_accuracy \d\.\d{{4}})? - lr 0\.1 - \d+\.\d\d s$";
}

/// <summary><see cref="TrainerOptions.Verbose"/> writes to the process-wide console, so it runs with the other console tests.</summary>
[Collection(Samples.ConsoleCollection.Name)]
public sealed class VerboseTests
{
    [Fact]
    public void Verbose_WritesOneLinePerEpochToConsoleOut()
    {
        TextWriter original = Console.Out;
        using var captured = new StringWriter();
        Console.SetOut(captured);
        try
        {
            var trainer = new Trainer<double>(TinyProblems.SmallClassifier(2), new CrossEntropyLoss<double>(), new Sgd<double>(0.1),
                new TrainerOptions { Epochs = 2, BatchSize = 8, Seed = 3, Verbose = true });
            trainer.Fit(TinyProblems.Blobs(10, 1));
        }
        finally
        {
            Console.SetOut(original);
        }

        // Progress is drawn only when the test host's output is a terminal; the text after the last \r is what shows.
        string[] lines = captured.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\r')[^1].TrimEnd()).ToArray();
        lines.Should().HaveCount(2);
        lines[1].Should().StartWith("epoch 2/2 - loss ").And.EndWith(" s");
    }

    [Fact]
    public void Verbose_IsOffByDefault()
    {
        new TrainerOptions().Verbose.Should().BeFalse();
    }
}
