using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Serialization;
using NeuralNet.Training;

namespace NeuralNet.Tests.Training;

/// <content>Checkpoint and resume of a network with residual blocks holding batch norm and dropout.</content>
public sealed partial class ResumeTests
{
    /// <summary>A residual block with BatchNorm1d and Dropout inside, a nested block, and early stopping that restores the best weights.</summary>
    private static Setup ResidualBlocks(bool earlyStopping) => new(
        seed =>
        {
            var random = new Random(seed);
            return new Network<double>(
                new Linear<double>(2, 6, random),
                new Residual<double>(
                    new BatchNorm1d<double>(6, momentum: 0.3),
                    new Linear<double>(6, 6, random),
                    new Tanh<double>(),
                    new Dropout<double>(0.3, seed: seed + 1),
                    new Residual<double>(new Linear<double>(6, 6, random), new Relu<double>())),
                new Linear<double>(6, 2, random));
        },
        () => new Adam<double>(0.05),
        earlyStopping
            ? new TrainerOptions { Epochs = 6, BatchSize = 5, Seed = 8, ValidationSplit = 0.25, EarlyStopping = new EarlyStopping(patience: 2) }
            : new TrainerOptions { Epochs = Epochs, BatchSize = 6, Seed = 8 },
        TinyProblems.Blobs(20, seed: 9));

    [Theory]
    [InlineData(false, 1)]
    [InlineData(false, 3)]
    [InlineData(true, 2)]
    public void ResumingANetworkWithResidualBlocksAfterEpochK_GivesBitIdenticalWeightsAndBuffers(bool earlyStopping, int k)
    {
        Setup setup = ResidualBlocks(earlyStopping);
        Network<double> uninterrupted = setup.Network(10);
        TrainingHistory full = new Trainer<double>(uninterrupted, new CrossEntropyLoss<double>(), setup.Optimizer(), setup.Options).Fit(setup.Data);
        full.Count.Should().BeGreaterThan(k, "the resumed run has epochs left to train");
        string path = Path.Combine(directory, $"residual-{earlyStopping}-{k}.ckpt");
        Network<double> checkpointed = Interrupt(setup, k, path);

        Network<double> resumed = setup.Network(99);
        new Trainer<double>(resumed, new CrossEntropyLoss<double>(), setup.Optimizer(), setup.Options).Resume(Checkpoint<double>.Load(path), setup.Data);

        if (!earlyStopping)
        {
            AllState(checkpointed).Should().NotEqual(AllState(uninterrupted), "the interrupted run stopped early");
        }

        Bits(AllState(resumed)).Should().Equal(Bits(AllState(uninterrupted)));
        resumed.Layers[1].Buffers.Select(b => b.Name).Should().Equal("0.running_mean", "0.running_var", "3.random_state");
    }

    [Fact]
    public void EarlyStopping_RestoresTheRunningStatisticsInsideAResidualBlock_OfTheBestEpoch()
    {
        Setup setup = ResidualBlocks(earlyStopping: true);
        Network<double> network = setup.Network(10);
        var trainer = new Trainer<double>(network, new CrossEntropyLoss<double>(), setup.Optimizer(), setup.Options with { EarlyStopping = new EarlyStopping(patience: 2) { Monitor = MonitoredMetric.ValidationLoss } });
        var statisticsByEpoch = new Dictionary<int, double[]>();
        trainer.Callbacks.Add(new DelegateCallback(onEpoch: c => statisticsByEpoch[c.Epoch] = Statistics(network)));

        TrainingHistory history = trainer.Fit(setup.Data);

        history.WeightsEpoch.Should().Be(history.BestEpoch);
        statisticsByEpoch[history.BestEpoch!.Value].Should().Equal(Statistics(network));
        if (history.Count > history.BestEpoch)
        {
            statisticsByEpoch[history.Count].Should().NotEqual(Statistics(network), "the last epoch's statistics were replaced by the best epoch's");
        }
    }

    /// <summary>Every parameter value, then every statistics buffer (running means and variances, also inside blocks).</summary>
    private static double[] AllState(Network<double> network) => [.. TinyProblems.Weights(network), .. Statistics(network)];

    private static double[] Statistics(Network<double> network) =>
        [.. network.Layers.SelectMany(l => l.Buffers).Where(b => b.IsStatistics).SelectMany(b => b.Values.ToArray())];
}
