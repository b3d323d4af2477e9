using NeuralNet.Data;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Schedules;
using NeuralNet.Serialization;
using NeuralNet.Training;

namespace NeuralNet.Tests.Training;

/// <summary>
/// Checkpoint and resume through the real trainer: a run interrupted after epoch k and resumed from its checkpoint
/// ends with bit-identical weights (and batch-norm running statistics) to a run that was never interrupted.
/// </summary>
public sealed partial class ResumeTests : IDisposable
{
    private const int Epochs = 4;

    private readonly string directory = Directory.CreateTempSubdirectory("nnet-resume-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    /// <summary>How to build one run: the network (from an initialization seed), the optimizer, and the options.</summary>
    private sealed record Setup(Func<int, Network<double>> Network, Func<IOptimizer<double>> Optimizer, TrainerOptions Options, Dataset<double> Data);

    private static Setup MomentumSgd() => new(
        TinyProblems.SmallClassifier,
        () => new Sgd<double>(0.2, momentum: 0.9),
        new TrainerOptions { Epochs = Epochs, BatchSize = 7, Seed = 3 },
        TinyProblems.Blobs(15, seed: 1));

    private static Setup Adam() => new(
        TinyProblems.SmallClassifier,
        () => new Adam<double>(0.05),
        new TrainerOptions { Epochs = Epochs, BatchSize = 6, Seed = 4 },
        TinyProblems.Blobs(16, seed: 2));

    /// <summary>Dropout (both constructors) + BatchNorm1d + shuffling + a per-batch warm-up-then-cosine schedule.</summary>
    private static Setup Regularized() => new(
        seed =>
        {
            var random = new Random(seed);
            return new Network<double>(
                new Linear<double>(2, 8, random),
                new BatchNorm1d<double>(8, momentum: 0.3),
                new Relu<double>(),
                new Dropout<double>(0.3, seed: seed + 1),
                new Linear<double>(8, 6, random),
                new Tanh<double>(),
                new Dropout<double>(0.2, new Random(seed + 2)),
                new Linear<double>(6, 2, random));
        },
        () => new Sgd<double>(0.1, momentum: 0.5),
        new TrainerOptions
        {
            Epochs = Epochs,
            BatchSize = 8,
            Seed = 5,
            Schedule = new LinearWarmupSchedule(3, new CosineAnnealingSchedule(12, minimumRate: 0.01)),
            ScheduleInterval = ScheduleInterval.Batch,
        },
        TinyProblems.Blobs(20, seed: 3));

    /// <summary>A validation split and early stopping that restores the best weights (its progress must survive the resume).</summary>
    private static Setup EarlyStopped() => new(
        TinyProblems.SmallClassifier,
        () => new Sgd<double>(0.5, momentum: 0.9),
        new TrainerOptions
        {
            Epochs = 6,
            BatchSize = 5,
            Seed = 6,
            ValidationSplit = 0.25,
            EarlyStopping = new EarlyStopping(patience: 3) { Monitor = MonitoredMetric.ValidationAccuracy },
        },
        TinyProblems.Blobs(20, seed: 4));

    public static TheoryData<string, int> Cases() => new()
    {
        { nameof(MomentumSgd), 1 }, { nameof(MomentumSgd), 2 },
        { nameof(Adam), 1 }, { nameof(Adam), 2 },
        { nameof(Regularized), 1 }, { nameof(Regularized), 2 },
        { nameof(EarlyStopped), 1 }, { nameof(EarlyStopped), 2 },
    };

    private static Setup ByName(string name) => name switch
    {
        nameof(MomentumSgd) => MomentumSgd(),
        nameof(Adam) => Adam(),
        nameof(Regularized) => Regularized(),
        _ => EarlyStopped(),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void ResumingAfterEpochK_GivesBitIdenticalWeights_ToAnUninterruptedRun(string setupName, int k)
    {
        Setup setup = ByName(setupName);
        var uninterrupted = setup.Network(10);
        TrainingHistory full = new Trainer<double>(uninterrupted, new CrossEntropyLoss<double>(), setup.Optimizer(), setup.Options).Fit(setup.Data);

        string path = Path.Combine(directory, $"{setupName}-{k}.ckpt");
        Network<double> checkpointed = Interrupt(setup, k, path);
        var checkpoint = Checkpoint<double>.Load(path);
        checkpoint.Epoch.Should().Be(k);
        if (setup.Options.EarlyStopping is null)
        {
            State(checkpointed).Should().NotEqual(State(uninterrupted), "the interrupted run stopped early");
        }
        else
        {
            // The uninterrupted run ends on its best epoch's weights, kept by early stopping before the interruption:
            // the resumed run can only restore them from the checkpoint's early-stopping state.
            full.BestEpoch.Should().Be(1);
            full.Count.Should().BeGreaterThan(2);
        }

        // A differently initialised network, dropout seeds and a fresh optimizer: everything must come from the checkpoint.
        Network<double> resumed = setup.Network(99);
        var trainer = new Trainer<double>(resumed, new CrossEntropyLoss<double>(), setup.Optimizer(), setup.Options);
        TrainingHistory rest = trainer.Resume(checkpoint, setup.Data);

        Bits(State(resumed)).Should().Equal(Bits(State(uninterrupted)));
        rest.Select(e => e.Epoch).Should().Equal(full.Select(e => e.Epoch).Where(e => e > k));
        rest.Select(e => e.TrainingLoss).Should().Equal(full.Where(e => e.Epoch > k).Select(e => e.TrainingLoss));
        rest.BestEpoch.Should().Be(full.BestEpoch);
        rest.StopReason.Should().Be(full.StopReason);
        rest.WeightsEpoch.Should().Be(full.WeightsEpoch);
    }

    [Fact]
    public void ResumingWithoutTheOptimizerState_WouldDiffer_SoTheComparisonAboveCanFail()
    {
        // Guards the oracle: dropping the Adam moments on resume changes the result.
        Setup setup = Adam();
        var uninterrupted = setup.Network(10);
        new Trainer<double>(uninterrupted, new CrossEntropyLoss<double>(), setup.Optimizer(), setup.Options).Fit(setup.Data);
        string path = Path.Combine(directory, "adam.ckpt");
        Interrupt(setup, 2, path);
        var checkpoint = Checkpoint<double>.Load(path);
        var stateless = new Checkpoint<double>(
            checkpoint.Network, new Adam<double>(0.05).GetState(checkpoint.Network.Parameters), checkpoint.Epoch, checkpoint.RandomState.Span);

        Network<double> resumed = setup.Network(10);
        new Trainer<double>(resumed, new CrossEntropyLoss<double>(), setup.Optimizer(), setup.Options).Resume(stateless, setup.Data);

        Bits(State(resumed)).Should().NotEqual(Bits(State(uninterrupted)));
    }

    [Fact]
    public void ResumingFromTheEpochWhereEarlyStoppingEndedTheRun_RunsNoEpoch_AndRestoresTheBestWeights()
    {
        Setup setup = EarlyStopped();
        TrainerOptions options = setup.Options with { Epochs = 30, EarlyStopping = new EarlyStopping(patience: 1) { Monitor = MonitoredMetric.ValidationAccuracy } };
        string path = Path.Combine(directory, "ended.ckpt");
        Network<double> uninterrupted = setup.Network(10);
        TrainingHistory full = new Trainer<double>(uninterrupted, new CrossEntropyLoss<double>(), setup.Optimizer(), options with { CheckpointPath = path }).Fit(setup.Data);
        full.StopReason.Should().Be(TrainingStopReason.EarlyStopping);

        Network<double> resumed = setup.Network(99);
        TrainingHistory rest = new Trainer<double>(resumed, new CrossEntropyLoss<double>(), setup.Optimizer(), options).Resume(Checkpoint<double>.Load(path), setup.Data);

        rest.Should().BeEmpty();
        rest.BestEpoch.Should().Be(full.BestEpoch);
        rest.WeightsEpoch.Should().Be(full.BestEpoch).And.Be(full.WeightsEpoch);
        Bits(State(resumed)).Should().Equal(Bits(State(uninterrupted)));
    }

    [Fact]
    public void CheckpointPath_IsRewrittenAfterEveryEpoch()
    {
        Setup setup = MomentumSgd();
        string path = Path.Combine(directory, "every.ckpt");
        var epochs = new List<int>();
        var trainer = new Trainer<double>(setup.Network(1), new CrossEntropyLoss<double>(), setup.Optimizer(), setup.Options with { CheckpointPath = path });
        trainer.Callbacks.Add(new DelegateCallback(onEpoch: c =>
        {
            if (c.Epoch > 1)
            {
                epochs.Add(Checkpoint<double>.Load(path).Epoch); // the previous epoch's file, not yet replaced
            }
        }));

        trainer.Fit(setup.Data);

        epochs.Should().Equal(1, 2, 3);
        Checkpoint<double>.Load(path).Epoch.Should().Be(Epochs);
        Directory.GetFiles(directory).Should().ContainSingle("the temporary files of the atomic writes are gone");
    }

    [Fact]
    public void Resume_DamagedCheckpoint_ThrowsModelFormatExceptionNamingTheFileAndLeavesTheNetworkUnchanged()
    {
        Setup setup = Regularized();
        string path = Path.Combine(directory, "damaged.ckpt");
        Interrupt(setup, 1, path);
        byte[] bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0x10;
        File.WriteAllBytes(path, bytes);

        Network<double> network = setup.Network(7);
        double[] before = State(network);
        var trainer = new Trainer<double>(network, new CrossEntropyLoss<double>(), setup.Optimizer(), setup.Options);

        Action resume = () => trainer.Resume(Checkpoint<double>.Load(path), setup.Data);

        resume.Should().Throw<ModelFormatException>().WithMessage($"{path}*");
        Bits(State(network)).Should().Equal(Bits(before));
    }

    [Fact]
    public void ACheckpointFromDifferentSettings_ThrowsNamingTheSetting_AndLeavesTheNetworkUnchanged()
    {
        Setup setup = MomentumSgd();
        string path = Path.Combine(directory, "settings.ckpt");
        Interrupt(setup, 1, path);
        Network<double> network = setup.Network(7);
        double[] before = State(network);
        var trainer = new Trainer<double>(network, new CrossEntropyLoss<double>(), setup.Optimizer(), setup.Options with { Seed = 42 });

        Action resume = () => trainer.Resume(Checkpoint<double>.Load(path), setup.Data);

        resume.Should().Throw<ArgumentException>().WithMessage("*Seed = 3*42*");
        Bits(State(network)).Should().Equal(Bits(before));
    }

    [Fact]
    public void CheckpointPath_WithALayerThatCannotBeSaved_ThrowsBeforeTraining()
    {
        var network = new Network<double>(new Linear<double>(2, 2, new Random(1)), new NeuralNet.Tests.Serialization.ForeignLayer<double>("Unsavable"));
        double[] before = State(network);
        var options = new TrainerOptions { Epochs = 1, CheckpointPath = Path.Combine(directory, "never.ckpt") };
        var trainer = new Trainer<double>(network, new CrossEntropyLoss<double>(), new Sgd<double>(0.1), options);

        Action fit = () => trainer.Fit(TinyProblems.Blobs(4, 1));

        fit.Should().Throw<NotSupportedException>().WithMessage("*Unsavable*");
        Bits(State(network)).Should().Equal(Bits(before));
    }

    [Theory]
    [InlineData("missing folder")]
    [InlineData("folder as file")]
    public void ACheckpointPathThatCannotBeWritten_ThrowsNamingThePath_BeforeTraining(string problem)
    {
        Setup setup = MomentumSgd();
        string path = problem == "missing folder" ? Path.Combine(directory, "missing", "run.ckpt") : Directory.CreateDirectory(Path.Combine(directory, "run.ckpt")).FullName;
        Network<double> network = setup.Network(1);
        double[] before = State(network);
        int batches = 0;
        var trainer = new Trainer<double>(network, new CrossEntropyLoss<double>(), setup.Optimizer(), setup.Options with { CheckpointPath = path });
        trainer.Callbacks.Add(new DelegateCallback(onBatch: _ => batches++));

        Action fit = () => trainer.Fit(setup.Data);

        fit.Should().Throw<IOException>().WithMessage($"*{path}*");
        batches.Should().Be(0);
        Bits(State(network)).Should().Equal(Bits(before));
        Directory.GetFiles(directory, "*", SearchOption.AllDirectories).Should().BeEmpty("the writability probe leaves nothing behind");
    }

    /// <summary>Runs <paramref name="setup"/> with checkpoints and cancels it right after epoch <paramref name="k"/>'s checkpoint.</summary>
    private static Network<double> Interrupt(Setup setup, int k, string path)
    {
        Network<double> network = setup.Network(10);
        using var cancellation = new CancellationTokenSource();
        var trainer = new Trainer<double>(network, new CrossEntropyLoss<double>(), setup.Optimizer(), setup.Options with { CheckpointPath = path });
        trainer.Callbacks.Add(new DelegateCallback(onEpoch: c =>
        {
            if (c.Epoch == k)
            {
                cancellation.Cancel();
            }
        }));

        Action fit = () => trainer.Fit(setup.Data, cancellationToken: cancellation.Token);
        fit.Should().Throw<OperationCanceledException>();
        return network;
    }

    /// <summary>Every parameter value, then every batch-norm running mean and variance.</summary>
    private static double[] State(Network<double> network) =>
    [
        .. TinyProblems.Weights(network),
        .. network.Layers.OfType<BatchNorm1d<double>>().SelectMany(b => b.RunningMean.ToArray().Concat(b.RunningVariance.ToArray())),
    ];

    private static long[] Bits(double[] values) => [.. values.Select(BitConverter.DoubleToInt64Bits)];
}
