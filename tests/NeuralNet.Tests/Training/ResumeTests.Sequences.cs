using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Data;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Serialization;
using NeuralNet.Training;

namespace NeuralNet.Tests.Training;

/// <content>Checkpoint and resume of a token network: embedding, learned positions and layer norm.</content>
public sealed partial class ResumeTests
{
    private static Setup Tokens()
    {
        var random = new Random(21);
        var ids = Matrix<double>.Build.Dense(4, 18, (_, _) => random.Next(7));
        int[] labels = [.. Enumerable.Range(0, 18).Select(j => (int)(ids[0, j] + ids[3, j]) % 3)];
        return new(
            seed => new Network<double>(
                Shape.Vector(4),
                new Embedding<double>(7, 3, new Random(seed), paddingIndex: 0),
                new PositionalEmbedding<double>(6, 3, new Random(seed + 1)),
                new LayerNorm<double>(3),
                new Flatten<double>(),
                new Linear<double>(12, 3, new Random(seed + 2))),
            () => new Adam<double>(0.05),
            new TrainerOptions { Epochs = Epochs, BatchSize = 5, Seed = 7 },
            Dataset<double>.ForClassification(ids, labels));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void ResumingATokenNetworkAfterEpochK_GivesBitIdenticalWeights_ToAnUninterruptedRun(int k)
    {
        Setup setup = Tokens();
        Network<double> uninterrupted = setup.Network(10);
        new Trainer<double>(uninterrupted, new CrossEntropyLoss<double>(), setup.Optimizer(), setup.Options).Fit(setup.Data);
        string path = Path.Combine(directory, $"tokens-{k}.ckpt");
        Network<double> checkpointed = Interrupt(setup, k, path);

        Network<double> resumed = setup.Network(99);
        new Trainer<double>(resumed, new CrossEntropyLoss<double>(), setup.Optimizer(), setup.Options).Resume(Checkpoint<double>.Load(path), setup.Data);

        State(checkpointed).Should().NotEqual(State(uninterrupted));
        Bits(State(resumed)).Should().Equal(Bits(State(uninterrupted)));
        resumed.Layers[0].Parameters[0].ValueSpan[..3].ToArray().Should().Equal([0.0, 0.0, 0.0], "the padding row is never trained");
    }
}
