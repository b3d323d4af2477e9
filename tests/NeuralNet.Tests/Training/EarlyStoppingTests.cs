using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Data;
using NeuralNet.Initializers;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Training;

namespace NeuralNet.Tests.Training;

/// <summary>
/// A 1-parameter-slope regression trained towards y = 2x but validated against y = x: starting from w = 0, w rises
/// monotonically to 2, so the validation loss falls until w passes 1 and rises afterwards (a U-shaped curve with a
/// known best epoch).
/// </summary>
public sealed class EarlyStoppingTests
{
    private static (TrainingHistory History, double[] Final, List<double[]> PerEpoch) Run(EarlyStopping? rule, int epochs = 60)
    {
        var network = TinyProblems.ZeroLine();
        var trainer = new Trainer<double>(network, new MeanSquaredErrorLoss<double>(), new Sgd<double>(0.01), new TrainerOptions
        {
            Epochs = epochs,
            BatchSize = 6,
            Shuffle = false,
            EarlyStopping = rule,
        });
        var perEpoch = new List<double[]>();
        trainer.Callbacks.Add(new DelegateCallback(onEpoch: c => perEpoch.Add(TinyProblems.Weights(c.Network))));
        TrainingHistory history = trainer.Fit(TinyProblems.Line(2), TinyProblems.Line(1));
        return (history, TinyProblems.Weights(network), perEpoch);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(5)]
    public void EarlyStopping_PatienceEpochsWithoutImprovement_StopsAndRestoresTheBestWeights(int patience)
    {
        (TrainingHistory history, double[] final, List<double[]> perEpoch) = Run(new EarlyStopping(patience));

        int best = history.MinBy(r => r.ValidationLoss!.Value)!.Epoch;
        best.Should().BeGreaterThan(1, "the validation loss first falls");
        history.Count.Should().Be(best + patience);
        history.Count.Should().BeLessThan(60);
        history.BestEpoch.Should().Be(best);
        history.StopReason.Should().Be(TrainingStopReason.EarlyStopping);
        final.Should().Equal(perEpoch[best - 1]);
        final.Should().NotEqual(perEpoch[^1]);
    }

    [Fact]
    public void History_SaysWhichEpochsWeightsTheNetworkHolds()
    {
        (TrainingHistory restored, double[] final, List<double[]> perEpoch) = Run(new EarlyStopping(3));
        restored.Last.Epoch.Should().Be(restored.Count, "Last is still the last epoch run");
        restored.WeightsEpoch.Should().Be(restored.BestEpoch).And.BeLessThan(restored.Last.Epoch);
        final.Should().Equal(perEpoch[restored.WeightsEpoch!.Value - 1]);

        (TrainingHistory kept, double[] last, List<double[]> keptPerEpoch) = Run(new EarlyStopping(3) { RestoreBestWeights = false });
        kept.WeightsEpoch.Should().Be(kept.Last.Epoch);
        last.Should().Equal(keptPerEpoch[kept.WeightsEpoch!.Value - 1]);

        (TrainingHistory plain, _, _) = Run(null);
        plain.WeightsEpoch.Should().Be(60);
        new TrainingHistory().WeightsEpoch.Should().BeNull();
    }

    [Fact]
    public void EarlyStopping_DuringTraining_WeightsAreThoseOfTheLastFinishedEpoch()
    {
        var trainer = new Trainer<double>(TinyProblems.ZeroLine(), new MeanSquaredErrorLoss<double>(), new Sgd<double>(0.01), new TrainerOptions
        {
            Epochs = 5,
            BatchSize = 6,
            EarlyStopping = new EarlyStopping(50),
        });
        var seen = new List<(int Epoch, int? WeightsEpoch)>();
        trainer.Callbacks.Add(new DelegateCallback(onEpoch: c => seen.Add((c.Epoch, c.History.WeightsEpoch))));

        trainer.Fit(TinyProblems.Line(2), TinyProblems.Line(1));

        seen.Should().Equal((1, 1), (2, 2), (3, 3), (4, 4), (5, 5));
    }

    [Fact]
    public void EarlyStopping_CallbackStop_StillRestoresTheBestWeightsSeenSoFar()
    {
        var network = TinyProblems.ZeroLine();
        var trainer = new Trainer<double>(network, new MeanSquaredErrorLoss<double>(), new Sgd<double>(0.01), new TrainerOptions
        {
            Epochs = 60,
            BatchSize = 6,
            Shuffle = false,
            EarlyStopping = new EarlyStopping(50),
        });
        var perEpoch = new List<double[]>();
        trainer.Callbacks.Add(new DelegateCallback(onEpoch: c =>
        {
            perEpoch.Add(TinyProblems.Weights(c.Network));
            if (c.Epoch == 8)
            {
                c.Stop();
            }
        }));
        TrainingHistory history = trainer.Fit(TinyProblems.Line(2), TinyProblems.Line(1));

        history.StopReason.Should().Be(TrainingStopReason.Callback);
        history.Count.Should().Be(8);
        history.BestEpoch.Should().Be(8, "the validation loss is still falling at epoch 8");
        TinyProblems.Weights(network).Should().Equal(perEpoch[7]);
    }

    [Fact]
    public void Fit_WithoutEarlyStopping_RunsEveryEpoch()
    {
        (TrainingHistory history, _, _) = Run(null);
        history.Count.Should().Be(60);
        history.StopReason.Should().Be(TrainingStopReason.Completed);
        history.BestEpoch.Should().BeNull();
    }

    [Fact]
    public void EarlyStopping_WithoutRestore_KeepsTheLastWeights()
    {
        (TrainingHistory history, double[] final, List<double[]> perEpoch) = Run(new EarlyStopping(2) { RestoreBestWeights = false });
        history.StopReason.Should().Be(TrainingStopReason.EarlyStopping);
        final.Should().Equal(perEpoch[^1]);
        final.Should().NotEqual(perEpoch[history.BestEpoch!.Value - 1]);
    }

    [Fact]
    public void MinDelta_ChangesWhatCountsAsAnImprovement()
    {
        (TrainingHistory strict, _, _) = Run(new EarlyStopping(2));
        (TrainingHistory loose, _, _) = Run(new EarlyStopping(2) { MinDelta = 0.01 });

        // With min delta 0.01 the small late gains no longer count, so training stops earlier.
        loose.Count.Should().BeLessThan(strict.Count);
        double bestLoose = loose[loose.BestEpoch!.Value - 1].ValidationLoss!.Value;
        for (int e = loose.BestEpoch.Value; e < loose.Count; e++)
        {
            loose[e].ValidationLoss!.Value.Should().BeGreaterThan(bestLoose - 0.01);
        }
    }

    [Fact]
    public void EarlyStopping_MonitoringTheTrainingLoss_IgnoresTheRisingValidationLoss()
    {
        (TrainingHistory history, _, _) = Run(new EarlyStopping(2) { Monitor = MonitoredMetric.TrainingLoss }, epochs: 30);
        history.Count.Should().Be(30, "the training loss falls every epoch");
        history.StopReason.Should().Be(TrainingStopReason.Completed);
        history.BestEpoch.Should().Be(30);
    }

    [Fact]
    public void EarlyStopping_MonitoringValidationAccuracy_StopsWhenAccuracyPlateausWhileTheLossStillFalls()
    {
        // Separable blobs validated on themselves: the accuracy hits its maximum early and stays, the loss keeps falling.
        Network<double> Build() => TinyProblems.SmallClassifier(5);
        TrainingHistory RunWith(MonitoredMetric metric)
        {
            var trainer = new Trainer<double>(Build(), new CrossEntropyLoss<double>(), new Sgd<double>(0.2), new TrainerOptions
            {
                Epochs = 30,
                BatchSize = 10,
                Seed = 2,
                EarlyStopping = new EarlyStopping(3) { Monitor = metric },
            });
            var data = TinyProblems.Blobs(20, 1);
            return trainer.Fit(data, data);
        }

        TrainingHistory byAccuracy = RunWith(MonitoredMetric.ValidationAccuracy);
        TrainingHistory byLoss = RunWith(MonitoredMetric.ValidationLoss);

        byAccuracy.StopReason.Should().Be(TrainingStopReason.EarlyStopping);
        byAccuracy.Count.Should().Be(byAccuracy.BestEpoch!.Value + 3);
        byAccuracy[byAccuracy.BestEpoch.Value - 1].ValidationAccuracy.Should().Be(byAccuracy.Max(r => r.ValidationAccuracy));
        byLoss.Count.Should().BeGreaterThan(byAccuracy.Count);
    }

    [Fact]
    public void EarlyStopping_WithBatchNorm_RestoresItsStatisticsWithTheBestWeights()
    {
        // Random labels on few samples: the network memorises them, so the validation loss turns up early.
        var random = new Random(12);
        Matrix<double> x = RandomValues.NormalMatrix(5, 80, random);
        int[] labels = [.. Enumerable.Range(0, 80).Select(_ => random.Next(3))];
        var network = new Network<double>(
            new Linear<double>(5, 32, random, Initializer.HeNormal), new BatchNorm1d<double>(32), new Relu<double>(),
            new Linear<double>(32, 3, random));
        var trainer = new Trainer<double>(network, new CrossEntropyLoss<double>(), new Sgd<double>(0.2, momentum: 0.9),
            new TrainerOptions { Epochs = 60, BatchSize = 8, Seed = 3, ValidationSplit = 0.25, EarlyStopping = new EarlyStopping(patience: 4) });
        var data = Dataset<double>.ForClassification(x, labels, 3);

        TrainingHistory history = trainer.Fit(data);

        int best = history.BestEpoch!.Value;
        best.Should().BeLessThan(history.Count, "the run must have gone past its best epoch for the restore to matter");
        (Dataset<double> _, Dataset<double> validation) = data.Split(0.75, 3);
        trainer.Evaluate(validation).Loss.Should().Be(history[best - 1].ValidationLoss!.Value);
    }

    [Fact]
    public void EarlyStopping_MonitoringAValidationMetricWithoutAValidationSet_IsRejected()
    {
        var trainer = new Trainer<double>(TinyProblems.ZeroLine(), new MeanSquaredErrorLoss<double>(), new Sgd<double>(0.05),
            new TrainerOptions { EarlyStopping = new EarlyStopping(2) });
        FluentActions.Invoking(() => trainer.Fit(TinyProblems.Line(2))).Should().Throw<ArgumentException>()
            .WithMessage("*ValidationLoss*no validation set*");

        var accuracy = new Trainer<double>(TinyProblems.ZeroLine(), new MeanSquaredErrorLoss<double>(), new Sgd<double>(0.05),
            new TrainerOptions { EarlyStopping = new EarlyStopping(2) { Monitor = MonitoredMetric.ValidationAccuracy } });
        FluentActions.Invoking(() => accuracy.Fit(TinyProblems.Line(2), TinyProblems.Line(1))).Should().Throw<ArgumentException>()
            .WithMessage("*ValidationAccuracy*no class labels*");
    }

    [Fact]
    public void EarlyStopping_BadSettings_AreRejected()
    {
        FluentActions.Invoking(() => new EarlyStopping(0)).Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "patience");
        FluentActions.Invoking(() => new Trainer<double>(TinyProblems.ZeroLine(), new MeanSquaredErrorLoss<double>(), new Sgd<double>(0.05),
                new TrainerOptions { EarlyStopping = new EarlyStopping(2) { MinDelta = -0.1 } }))
            .Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "MinDelta");
    }
}
