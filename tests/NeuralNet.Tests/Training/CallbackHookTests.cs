using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Training;

namespace NeuralNet.Tests.Training;

/// <summary>The hooks around the training step: when each runs and what the context holds then.</summary>
public sealed class CallbackHookTests
{
    private static Trainer<double> Trainer(Network<double> network, int epochs, EarlyStopping? earlyStopping = null) =>
        new(network, new CrossEntropyLoss<double>(), new Sgd<double>(0.1), new TrainerOptions
        {
            Epochs = epochs,
            BatchSize = 8,
            Seed = 3,
            EarlyStopping = earlyStopping,
        });

    [Fact]
    public void Hooks_RunInOrderForEveryEpochAndBatch()
    {
        Trainer<double> trainer = Trainer(TinyProblems.SmallClassifier(2), epochs: 2);
        var calls = new List<string>();
        trainer.Callbacks.Add(new Hooks
        {
            EpochStart = c => calls.Add($"epoch {c.Epoch} start, batch {c.Batch}"),
            BatchStart = c => calls.Add($"{c.Epoch}.{c.Batch} start ({c.BatchSize})"),
            BeforeStep = c => calls.Add($"{c.Epoch}.{c.Batch} before step"),
            BatchEnd = c => calls.Add($"{c.Epoch}.{c.Batch} end"),
            EpochEnd = c => calls.Add($"epoch {c.Epoch} end, {c.Batch} batches"),
            TrainingEnd = c => calls.Add($"training end after {c.History.Count} epochs"),
        });

        trainer.Fit(TinyProblems.Blobs(10, 1)); // 20 samples in batches of 8, 8, 4

        IEnumerable<string> Epoch(int e) =>
        [
            $"epoch {e} start, batch 0",
            .. new[] { 8, 8, 4 }.SelectMany((size, b) => new[] { $"{e}.{b + 1} start ({size})", $"{e}.{b + 1} before step", $"{e}.{b + 1} end" }),
            $"epoch {e} end, 3 batches",
        ];
        calls.Should().Equal([.. Epoch(1), .. Epoch(2), "training end after 2 epochs"]);
    }

    [Fact]
    public void OnBeforeOptimizerStep_GradientsAreFinalAndWeightsNotYetUpdated()
    {
        Network<double> network = TinyProblems.SmallClassifier(2);
        Trainer<double> trainer = Trainer(network, epochs: 2);
        double[] afterLastStep = TinyProblems.Weights(network);
        int checkedBatches = 0;
        trainer.Callbacks.Add(new Hooks
        {
            BeforeStep = c =>
            {
                TinyProblems.Weights(c.Network).Should().Equal(afterLastStep);
                c.BatchOutput!.ColumnCount.Should().Be(c.BatchSize);
                c.BatchLabels.Length.Should().Be(c.BatchSize);
                c.BatchTargets.Should().BeNull();
                new CrossEntropyLoss<double>().Compute(c.BatchOutput, c.BatchLabels.Span, null).Should().Be(c.BatchLoss);
                checkedBatches++;
            },
            BatchEnd = c =>
            {
                TinyProblems.Weights(c.Network).Should().NotEqual(afterLastStep);
                afterLastStep = TinyProblems.Weights(c.Network);
            },
        });

        trainer.Fit(TinyProblems.Blobs(10, 1));

        checkedBatches.Should().Be(6);
    }

    [Fact]
    public void OnBatchEnd_RegressionBatch_CarriesTargetsAndNoLabels()
    {
        var trainer = new Trainer<double>(TinyProblems.ZeroLine(), new MeanSquaredErrorLoss<double>(), new Sgd<double>(0.01), new TrainerOptions
        {
            Epochs = 1,
            BatchSize = 4,
            Shuffle = false,
        });
        var seen = new List<(int Labels, int Targets, double Loss)>();
        trainer.Callbacks.Add(new Hooks
        {
            BeforeStep = c => seen.Add((c.BatchLabels.Length, c.BatchTargets!.ColumnCount,
                new MeanSquaredErrorLoss<double>().Compute(c.BatchOutput!, c.BatchTargets, null))),
        });

        trainer.Fit(TinyProblems.Line(2)); // 6 samples: batches of 4 and 2

        seen.Select(s => (s.Labels, s.Targets)).Should().Equal((0, 4), (0, 2));
        seen.Should().OnlyContain(s => s.Loss > 0);
    }

    [Fact]
    public void OnBatchStart_RateSet_IsTheRateOfThatBatchsStep()
    {
        Network<double> network = TinyProblems.SmallClassifier(2);
        Trainer<double> trainer = Trainer(network, epochs: 2);
        var perEpoch = new List<double[]>();
        trainer.Callbacks.Add(new Hooks
        {
            BatchStart = c => c.Optimizer.LearningRate = c.Epoch == 2 ? 0 : 0.1,
            EpochEnd = c => perEpoch.Add(TinyProblems.Weights(c.Network)),
        });

        trainer.Fit(TinyProblems.Blobs(10, 1));

        perEpoch[1].Should().Equal(perEpoch[0], "plain SGD at rate 0 does not move");
    }

    [Fact]
    public void OnEpochStart_Stop_EndsTheEpochAfterOneBatch()
    {
        Trainer<double> trainer = Trainer(TinyProblems.SmallClassifier(2), epochs: 5);
        int batches = 0;
        trainer.Callbacks.Add(new Hooks
        {
            EpochStart = c =>
            {
                if (c.Epoch == 2)
                {
                    c.Stop();
                }
            },
            BatchEnd = _ => batches++,
        });

        TrainingHistory history = trainer.Fit(TinyProblems.Blobs(10, 1));

        batches.Should().Be(4);
        history.Count.Should().Be(2);
        history.StopReason.Should().Be(TrainingStopReason.Callback);
        double.IsFinite(history.Last.TrainingLoss).Should().BeTrue();
    }

    [Fact]
    public void OnTrainingEnd_SeesTheRestoredBestWeightsAndTheCompleteHistory()
    {
        var network = TinyProblems.ZeroLine();
        var trainer = new Trainer<double>(network, new MeanSquaredErrorLoss<double>(), new Sgd<double>(0.01), new TrainerOptions
        {
            Epochs = 60,
            BatchSize = 6,
            Shuffle = false,
            EarlyStopping = new EarlyStopping(2),
        });
        var perEpoch = new List<double[]>();
        double[]? atEnd = null;
        TrainingStopReason reasonAtEnd = TrainingStopReason.Completed;
        int? bestAtEnd = null;
        trainer.Callbacks.Add(new Hooks
        {
            EpochEnd = c => perEpoch.Add(TinyProblems.Weights(c.Network)),
            TrainingEnd = c =>
            {
                atEnd = TinyProblems.Weights(c.Network);
                reasonAtEnd = c.History.StopReason;
                bestAtEnd = c.History.BestEpoch;
            },
        });

        TrainingHistory history = trainer.Fit(TinyProblems.Line(2), TinyProblems.Line(1));

        reasonAtEnd.Should().Be(TrainingStopReason.EarlyStopping);
        bestAtEnd.Should().Be(history.BestEpoch).And.BeLessThan(history.Count);
        atEnd.Should().Equal(perEpoch[history.BestEpoch!.Value - 1]);
    }

    [Fact]
    public void Callback_WrittenForTheFirstTwoHooks_StillWorksUnchanged()
    {
        Trainer<double> trainer = Trainer(TinyProblems.SmallClassifier(2), epochs: 2);
        var legacy = new LegacyCallback();
        trainer.Callbacks.Add(legacy);

        trainer.Fit(TinyProblems.Blobs(10, 1));

        (legacy.Batches, legacy.Epochs).Should().Be((6, 2));
    }

    /// <summary>A callback built from one delegate per hook.</summary>
    private sealed class Hooks : ITrainingCallback<double>
    {
        public Action<TrainingContext<double>>? EpochStart { get; init; }

        public Action<TrainingContext<double>>? BatchStart { get; init; }

        public Action<TrainingContext<double>>? BeforeStep { get; init; }

        public Action<TrainingContext<double>>? BatchEnd { get; init; }

        public Action<TrainingContext<double>>? EpochEnd { get; init; }

        public Action<TrainingContext<double>>? TrainingEnd { get; init; }

        public void OnEpochStart(TrainingContext<double> context) => EpochStart?.Invoke(context);

        public void OnBatchStart(TrainingContext<double> context) => BatchStart?.Invoke(context);

        public void OnBeforeOptimizerStep(TrainingContext<double> context) => BeforeStep?.Invoke(context);

        public void OnBatchEnd(TrainingContext<double> context) => BatchEnd?.Invoke(context);

        public void OnEpochEnd(TrainingContext<double> context) => EpochEnd?.Invoke(context);

        public void OnTrainingEnd(TrainingContext<double> context) => TrainingEnd?.Invoke(context);
    }

    /// <summary>Implements only the two hooks the interface first had, as callbacks written before the others did.</summary>
    private sealed class LegacyCallback : ITrainingCallback<double>
    {
        public int Batches { get; private set; }

        public int Epochs { get; private set; }

        public void OnBatchEnd(TrainingContext<double> context) => Batches++;

        public void OnEpochEnd(TrainingContext<double> context) => Epochs++;
    }
}
