using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Data;
using NeuralNet.Initializers;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Training;

namespace NeuralNet.Tests.Training;

public sealed class TrainerTests
{
    [Fact]
    public void Fit_Xor_LearnsItToFullAccuracy()
    {
        Matrix<float> x = Matrix<float>.Build.DenseOfColumnArrays([0f, 0f], [0f, 1f], [1f, 0f], [1f, 1f]);
        int[] labels = [0, 1, 1, 0];
        var random = new Random(7);
        var network = new Network<float>(new Linear<float>(2, 8, random), new Tanh<float>(), new Linear<float>(8, 2, random));
        var trainer = new Trainer<float>(network, new CrossEntropyLoss<float>(), new Sgd<float>(0.1, momentum: 0.9),
            new TrainerOptions { Epochs = 300, BatchSize = 4, Seed = 1 });

        TrainingHistory history = trainer.Fit(Dataset<float>.ForClassification(x, labels));

        network.PredictClass(x).Should().Equal(labels);
        history.Last.TrainingAccuracy.Should().Be(1.0);
        history.Last.TrainingLoss.Should().BeLessThan(history[0].TrainingLoss);
    }

    [Fact]
    public void Fit_SineWithIdentityOutputAndMeanSquaredError_FitsIt()
    {
        const int count = 256;
        var x = Matrix<float>.Build.Dense(1, count, (_, j) => (float)(-Math.PI + (2 * Math.PI * j / (count - 1))));
        Matrix<float> y = x.Map(MathF.Sin);
        var random = new Random(3);
        var network = new Network<float>(
            new Linear<float>(1, 32, random), new Tanh<float>(), new Linear<float>(32, 1, random), new Identity<float>());
        var trainer = new Trainer<float>(network, new MeanSquaredErrorLoss<float>(), new Sgd<float>(0.05, momentum: 0.9),
            new TrainerOptions { Epochs = 300, BatchSize = 16, Seed = 2 });
        var data = Dataset<float>.ForRegression(x, y);

        trainer.Fit(data);

        trainer.Evaluate(data).Loss.Should().BeLessThan(0.01);
        trainer.Evaluate(data).Accuracy.Should().BeNull();
    }

    [Fact]
    public void Fit_SameSeed_GivesBitIdenticalWeightsAndAnotherSeedDiffers()
    {
        float[][] first = TrainSmall(initSeed: 1, shuffleSeed: 10);
        float[][] same = TrainSmall(initSeed: 1, shuffleSeed: 10);
        float[][] otherShuffle = TrainSmall(initSeed: 1, shuffleSeed: 11);
        float[][] otherInit = TrainSmall(initSeed: 2, shuffleSeed: 10);

        for (int p = 0; p < first.Length; p++)
        {
            same[p].Should().Equal(first[p]);
        }

        first.SelectMany(v => v).Should().NotEqual(otherShuffle.SelectMany(v => v));
        first.SelectMany(v => v).Should().NotEqual(otherInit.SelectMany(v => v));
    }

    [Fact]
    public void Fit_UsesTheLastPartialBatch()
    {
        // 5 samples, batch 4, no shuffle: one epoch is a step on samples 0–3, then a step on sample 4 alone.
        var random = new Random(4);
        Matrix<double> x = RandomValues.NormalMatrix(3, 5, random);
        Matrix<double> y = RandomValues.NormalMatrix(2, 5, random);
        var trained = new Linear<double>(3, 2, new Random(9));
        var manual = new Linear<double>(trained.Weights.Clone(), trained.Bias.Clone());
        var loss = new MeanSquaredErrorLoss<double>();

        new Trainer<double>(new Network<double>(trained), loss, new Sgd<double>(0.1),
            new TrainerOptions { Epochs = 1, BatchSize = 4, Shuffle = false }).Fit(Dataset<double>.ForRegression(x, y));

        var sgd = new Sgd<double>(0.1);
        foreach ((int first, int size) in new[] { (0, 4), (4, 1) })
        {
            Matrix<double> output = manual.Forward(x.SubMatrix(0, 3, first, size));
            var gradient = Matrix<double>.Build.Dense(2, size);
            loss.Compute(output, y.SubMatrix(0, 2, first, size), gradient);
            manual.Backward(gradient);
            sgd.Step(manual.Parameters);
        }

        trained.Weights.Enumerate().Should().Equal(manual.Weights.Enumerate());
        trained.Bias.Enumerate().Should().Equal(manual.Bias.Enumerate());
    }

    [Fact]
    public void Fit_ReportsEveryEpochWithValidationMetrics()
    {
        var random = new Random(5);
        Matrix<float> x = Matrix<float>.Build.Dense(2, 40, (i, j) => (float)random.NextDouble());
        int[] labels = [.. Enumerable.Range(0, 40).Select(j => x[0, j] > x[1, j] ? 1 : 0)];
        var data = Dataset<float>.ForClassification(x, labels, classCount: 2);
        var network = new Network<float>(new Linear<float>(2, 2, random));
        var reported = new List<EpochResult>();

        TrainingHistory history = new Trainer<float>(network, new CrossEntropyLoss<float>(), new Sgd<float>(0.5),
            new TrainerOptions { Epochs = 3, BatchSize = 8 }).Fit(data, data, new SynchronousProgress(reported));

        reported.Should().Equal(history);
        history.Select(e => e.Epoch).Should().Equal(1, 2, 3);
        history.Should().OnlyContain(e => e.ValidationLoss != null && e.ValidationAccuracy != null && e.TrainingAccuracy != null);
        history.Last.ValidationLoss.Should().BeApproximately(
            new Trainer<float>(network, new CrossEntropyLoss<float>(), new Sgd<float>(0.5)).Evaluate(data).Loss, 1e-6);
    }

    [Fact]
    public void Fit_Cancelled_StopsBetweenBatchesAndLeavesTheNetworkUnchanged()
    {
        (Network<float> network, Dataset<float> data) = SmallProblem(1);
        float[][] before = Snapshot(network);
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();

        Action act = () => new Trainer<float>(network, new CrossEntropyLoss<float>(), new Sgd<float>(0.1))
            .Fit(data, cancellationToken: cancellation.Token);

        act.Should().Throw<OperationCanceledException>();
        Snapshot(network).Should().BeEquivalentTo(before, o => o.WithStrictOrdering());
    }

    [Fact]
    public void Fit_Diverging_ThrowsNamingEpochAndBatch()
    {
        Matrix<double> x = Matrix<double>.Build.Dense(1, 8, (_, j) => j + 1.0);
        Matrix<double> y = x * 3.0;
        var network = new Network<double>(new Linear<double>(1, 1, new Random(1)));
        var trainer = new Trainer<double>(network, new MeanSquaredErrorLoss<double>(), new Sgd<double>(1e200),
            new TrainerOptions { Epochs = 3, BatchSize = 4, Shuffle = false });

        Action act = () => trainer.Fit(Dataset<double>.ForRegression(x, y));

        act.Should().Throw<TrainingDivergedException>()
            .Where(e => e.Epoch == 1 && e.Batch == 2 && !double.IsFinite(e.Loss))
            .WithMessage("*epoch 1, batch 2*");
    }

    internal static (Network<float> Network, Dataset<float> Data) SmallProblem(int seed)
    {
        var random = new Random(seed);
        Matrix<float> x = Matrix<float>.Build.Dense(3, 30, (_, _) => (float)((random.NextDouble() * 2) - 1));
        int[] labels = [.. Enumerable.Range(0, 30).Select(j => x[0, j] + x[1, j] > 0 ? 1 : 0)];
        var network = new Network<float>(
            new Linear<float>(3, 6, random, Initializer.HeNormal), new Relu<float>(), new Linear<float>(6, 2, random));
        return (network, Dataset<float>.ForClassification(x, labels, 2));
    }

    internal static float[][] Snapshot(Network<float> network) =>
        [.. network.Parameters.Select(p => p.ValueSpan.ToArray())];

    private static float[][] TrainSmall(int initSeed, int shuffleSeed)
    {
        (Network<float> network, Dataset<float> data) = SmallProblem(initSeed);
        new Trainer<float>(network, new CrossEntropyLoss<float>(), new Sgd<float>(0.1, momentum: 0.9),
            new TrainerOptions { Epochs = 3, BatchSize = 7, Seed = shuffleSeed }).Fit(data);
        return Snapshot(network);
    }

    private sealed class SynchronousProgress(List<EpochResult> sink) : IProgress<EpochResult>
    {
        public void Report(EpochResult value) => sink.Add(value);
    }
}
