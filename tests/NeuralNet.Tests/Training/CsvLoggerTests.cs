using System.Globalization;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Training;

namespace NeuralNet.Tests.Training;

public sealed class CsvLoggerTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("nnet-csv-logger-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void CsvLogger_Classification_WritesAHeaderAndOneRowPerEpochThatReadBack()
    {
        string path = Path.Combine(directory, "log.csv");
        Trainer<double> trainer = Classifier(epochs: 3);
        trainer.Callbacks.Add(new CsvLogger<double>(path));

        TrainingHistory history = trainer.Fit(TinyProblems.Blobs(10, 1), TinyProblems.Blobs(5, 2));

        string[] lines = File.ReadAllText(path).Split('\n');
        lines.Should().HaveCount(5).And.EndWith(string.Empty, "every row ends in \\n");
        lines[0].Should().Be("epoch,loss,accuracy,val_loss,val_accuracy,learning_rate,seconds");
        for (int i = 0; i < 3; i++)
        {
            double[] cells = [.. lines[i + 1].Split(',').Select(c => double.Parse(c, CultureInfo.InvariantCulture))];
            EpochResult e = history[i];
            cells[..6].Should().Equal(e.Epoch, e.TrainingLoss, e.TrainingAccuracy!.Value, e.ValidationLoss!.Value, e.ValidationAccuracy!.Value, 0.1);
            cells[6].Should().Be(e.Duration.TotalSeconds);
        }
    }

    [Fact]
    public void Row_RegressionWithoutValidation_LeavesTheAbsentCellsEmpty()
    {
        var result = new EpochResult(4, 0.1, null, null, null, TimeSpan.FromSeconds(0.5)) { LearningRate = 1e-3 };

        CsvLogger<double>.Row(result).Should().Be("4,0.1,,,,0.001,0.5");
    }

    [Fact]
    public void CsvLogger_SecondRun_OverwritesByDefaultAndAppendsWhenAsked()
    {
        string overwritten = Path.Combine(directory, "overwrite.csv");
        string appended = Path.Combine(directory, "append.csv");
        Trainer<double> trainer = Classifier(epochs: 2);
        trainer.Callbacks.Add(new CsvLogger<double>(overwritten));
        trainer.Callbacks.Add(new CsvLogger<double>(appended, append: true));

        trainer.Fit(TinyProblems.Blobs(10, 1));
        trainer.Fit(TinyProblems.Blobs(10, 1));

        File.ReadAllLines(overwritten).Should().HaveCount(3);
        string[] lines = File.ReadAllLines(appended);
        lines.Should().HaveCount(5, "one header, then two runs of two epochs");
        lines.Count(l => l == CsvLogger<double>.Header).Should().Be(1);
        lines.Skip(1).Select(l => l.Split(',')[0]).Should().Equal("1", "2", "1", "2");
    }

    [Fact]
    public void CsvLogger_MissingFolder_FailsBeforeTheFirstBatch()
    {
        Trainer<double> trainer = Classifier(epochs: 2);
        double[] before = TinyProblems.Weights(trainer.Network);
        trainer.Callbacks.Add(new CsvLogger<double>(Path.Combine(directory, "missing", "log.csv")));

        Action act = () => trainer.Fit(TinyProblems.Blobs(10, 1));

        act.Should().Throw<IOException>();
        TinyProblems.Weights(trainer.Network).Should().Equal(before);
    }

    private static Trainer<double> Classifier(int epochs) =>
        new(TinyProblems.SmallClassifier(2), new CrossEntropyLoss<double>(), new Sgd<double>(0.1), new TrainerOptions { Epochs = epochs, BatchSize = 8, Seed = 3 });
}
