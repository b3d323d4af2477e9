using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Training;

namespace NeuralNet.Tests.Training;

public sealed class ReduceLROnPlateauTests
{
    [Fact]
    public void ReduceLROnPlateau_GivenValidationLosses_FollowsTheHandComputedSchedule()
    {
        // patience 1, factor 0.5, cooldown 1, min 0.02, threshold 1e-4 relative; the rate after each epoch, by PyTorch's rules:
        // e1 1.0 best (bad 0) → 0.1 · e2 1.0 bad 1 → 0.1 · e3 1.0 bad 2 > 1: reduce, cooldown 1 → 0.05 ·
        // e4 1.0 bad 1, in cooldown: bad 0 (cooldown 0) → 0.05 · e5 0.9 best → 0.05 · e6 0.89995 (not 1e-4 better) bad 1 → 0.05 ·
        // e7 0.95 bad 2: reduce → 0.025, cooldown 1 · e8 0.95 bad 1, cooldown: 0 → 0.025 · e9 bad 1 · e10 bad 2: reduce, floor 0.02 → 0.02 ·
        // e11, e12: bad 1 (cooldown), bad 1 · e13 bad 2: max(0.01, 0.02) = 0.02 is no change → 0.02.
        double[] losses = [1.0, 1.0, 1.0, 1.0, 0.9, 0.89995, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95];
        double[] expected = [0.1, 0.1, 0.05, 0.05, 0.05, 0.05, 0.025, 0.025, 0.025, 0.02, 0.02, 0.02, 0.02];
        var callback = new ReduceLROnPlateau<double>(MonitoredMetric.ValidationLoss, factor: 0.5, patience: 1, minLearningRate: 0.02, cooldown: 1);

        double[] rates = Drive(callback, losses, new Sgd<double>(0.1));

        rates.Should().Equal(expected, (a, b) => Math.Abs(a - b) < 1e-15);
        callback.Reductions.Should().Be(3);
    }

    [Fact]
    public void ReduceLROnPlateau_Accuracy_ImprovesUpwards()
    {
        // patience 0: every epoch that does not beat the best accuracy reduces the rate.
        var callback = new ReduceLROnPlateau<double>(MonitoredMetric.ValidationAccuracy, factor: 0.1, patience: 0);

        double[] rates = Drive(callback, [0.5, 0.6, 0.6, 0.7, 0.65], new Sgd<double>(1.0), accuracy: true);

        rates.Should().Equal([1.0, 1.0, 0.1, 0.1, 0.01], (a, b) => Math.Abs(a - b) < 1e-15);
    }

    [Fact]
    public void ReduceLROnPlateau_InTheTrainer_ReducesAfterPatiencePlusOneEpochsWithoutImprovement()
    {
        // A threshold of 0.99 makes every epoch after the first a bad one: with patience 1 the rate halves after epochs 3 and 5.
        var trainer = new Trainer<double>(TinyProblems.SmallClassifier(2), new CrossEntropyLoss<double>(), new Sgd<double>(0.1),
            new TrainerOptions { Epochs = 6, BatchSize = 8, Seed = 3 });
        trainer.Callbacks.Add(new ReduceLROnPlateau<double>(MonitoredMetric.TrainingLoss, factor: 0.5, patience: 1) { Threshold = 0.99 });

        TrainingHistory history = trainer.Fit(TinyProblems.Blobs(10, 1));

        history.Select(e => e.LearningRate!.Value).Should().Equal(0.1, 0.1, 0.1, 0.05, 0.05, 0.025);
    }

    [Theory]
    [InlineData(1.0, 1, 0.0, 0)]
    [InlineData(0.0, 1, 0.0, 0)]
    [InlineData(0.5, -1, 0.0, 0)]
    [InlineData(0.5, 1, -1e-3, 0)]
    [InlineData(0.5, 1, 0.0, -1)]
    public void ReduceLROnPlateau_BadSettings_AreRefused(double factor, int patience, double minLearningRate, int cooldown)
    {
        Action act = () => _ = new ReduceLROnPlateau<double>(MonitoredMetric.TrainingLoss, factor, patience, minLearningRate, cooldown);
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("ReduceLROnPlateau: *");
    }

    /// <summary>Shows the callback one epoch result per value (as the trainer's context would) and returns the rate after each.</summary>
    private static double[] Drive(ReduceLROnPlateau<double> callback, double[] values, Sgd<double> optimizer, bool accuracy = false)
    {
        var context = new TrainingContext<double>(TinyProblems.SmallClassifier(1), optimizer, new TrainingHistory(), values.Length);
        var rates = new double[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            context.StartEpoch(i + 1);
            context.EpochResult = accuracy
                ? new EpochResult(i + 1, 1.0, null, 1.0, values[i], TimeSpan.Zero)
                : new EpochResult(i + 1, 1.0, null, values[i], null, TimeSpan.Zero);
            callback.OnEpochEnd(context);
            rates[i] = optimizer.LearningRate;
        }

        return rates;
    }
}
