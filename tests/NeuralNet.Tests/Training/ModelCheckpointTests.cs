using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Training;

namespace NeuralNet.Tests.Training;

/// <summary>On the U-shaped validation curve of <see cref="EarlyStoppingTests"/>: the validation loss falls, then rises.</summary>
public sealed class ModelCheckpointTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("nnet-model-checkpoint-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void ModelCheckpoint_SaveBestOnly_SavesOnlyOnImprovementAndHoldsTheBestEpochsWeights()
    {
        string path = Path.Combine(directory, "best.nnet");
        var checkpoint = new ModelCheckpoint<double>(path);
        var saves = new List<int>();
        var perEpoch = new List<double[]>();
        Trainer<double> trainer = UShapedTrainer(epochs: 40);
        trainer.Callbacks.Add(new DelegateCallback(onEpoch: c => perEpoch.Add(TinyProblems.Weights(c.Network))));
        trainer.Callbacks.Add(checkpoint);
        trainer.Callbacks.Add(new DelegateCallback(onEpoch: c =>
        {
            if (checkpoint.SavedEpoch == c.Epoch)
            {
                saves.Add(c.Epoch);
            }
        }));

        TrainingHistory history = trainer.Fit(TinyProblems.Line(2), TinyProblems.Line(1));

        int best = history.MinBy(r => r.ValidationLoss!.Value)!.Epoch;
        best.Should().BeInRange(2, 39, "the curve has a minimum inside the run");
        saves.Should().Equal(Enumerable.Range(1, best), "the validation loss falls strictly until the best epoch, then never improves");
        checkpoint.BestEpoch.Should().Be(best);
        checkpoint.BestValue.Should().Be(history[best - 1].ValidationLoss);
        TinyProblems.Weights(Network<double>.Load(path)).Should().Equal(perEpoch[best - 1]);
    }

    [Fact]
    public void ModelCheckpoint_EveryEpoch_HoldsTheLastEpochsWeights()
    {
        string path = Path.Combine(directory, "last.nnet");
        Trainer<double> trainer = UShapedTrainer(epochs: 30);
        var checkpoint = new ModelCheckpoint<double>(path, MonitoredMetric.ValidationLoss, saveBestOnly: false);
        trainer.Callbacks.Add(checkpoint);

        trainer.Fit(TinyProblems.Line(2), TinyProblems.Line(1));

        checkpoint.SavedEpoch.Should().Be(30);
        checkpoint.BestEpoch.Should().BeLessThan(30);
        TinyProblems.Weights(Network<double>.Load(path)).Should().Equal(TinyProblems.Weights(trainer.Network));
    }

    [Fact]
    public void ModelCheckpoint_MonitoringValidationLossWithoutValidation_FailsNamingTheMetric()
    {
        Trainer<double> trainer = UShapedTrainer(epochs: 3);
        trainer.Callbacks.Add(new ModelCheckpoint<double>(Path.Combine(directory, "m.nnet")));

        Action act = () => trainer.Fit(TinyProblems.Line(2));

        act.Should().Throw<InvalidOperationException>().WithMessage("ModelCheckpoint monitors ValidationLoss but epoch 1 has none*");
    }

    [Fact]
    public void ModelCheckpoint_MissingFolder_FailsBeforeTheFirstBatch()
    {
        Trainer<double> trainer = UShapedTrainer(epochs: 3);
        double[] before = TinyProblems.Weights(trainer.Network);
        trainer.Callbacks.Add(new ModelCheckpoint<double>(Path.Combine(directory, "missing", "m.nnet"), MonitoredMetric.TrainingLoss));

        Action act = () => trainer.Fit(TinyProblems.Line(2));

        act.Should().Throw<DirectoryNotFoundException>().WithMessage("*does not exist*");
        TinyProblems.Weights(trainer.Network).Should().Equal(before);
    }

    [Fact]
    public void ModelCheckpoint_EmptyPath_IsRefused()
    {
        Action act = () => _ = new ModelCheckpoint<double>(" ");
        act.Should().Throw<ArgumentException>();
    }

    private static Trainer<double> UShapedTrainer(int epochs) =>
        new(TinyProblems.ZeroLine(), new MeanSquaredErrorLoss<double>(), new Sgd<double>(0.01), new TrainerOptions { Epochs = epochs, BatchSize = 6, Shuffle = false });
}
