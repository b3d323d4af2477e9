using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Data;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Schedules;
using NeuralNet.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace NeuralNet.Comparisons;

/// <summary>
/// One training epoch (or a fixed slice of one) on Fashion-MNIST, batch 64, shuffled: NeuralNet through
/// <see cref="Trainer{T}.Fit"/> against a plain TorchSharp loop (zero_grad, forward, loss, backward, step) over
/// batches made beforehand in the same shuffled order (epoch 1 of the trainer's seed), at 1 and 2 threads.
/// Both start from the same weights. Each iteration continues training from where the last one stopped.
/// </summary>
public abstract class EpochBenchmarks
{
    private Trainer<float>? trainer;
    private Dataset<float> data = null!;
    private nn.Module<Tensor, Tensor>? torchModel;
    private torch.optim.Optimizer? torchOptimizer;
    private nn.Module<Tensor, Tensor, Tensor>? torchLoss;
    private (Tensor Images, Tensor Labels)[] torchBatches = [];

    /// <summary>Threads for every library (NeuralNet's <c>ComputeInfo.MaxThreads</c>, torch's intra-op threads).</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    /// <summary>Samples trained per measured call (the first ones of the training set).</summary>
    internal abstract int Samples { get; }

    /// <summary>Minibatch size.</summary>
    internal const int BatchSize = 64;

    /// <summary>Seed of the weights and of the shuffle.</summary>
    internal const int Seed = 1;

    /// <summary>The network (seeded), as NeuralNet builds it.</summary>
    protected abstract Network<float> BuildNetwork();

    /// <summary>The NeuralNet optimizer of the recipe.</summary>
    protected abstract IOptimizer<float> BuildOptimizer();

    /// <summary>The learning-rate schedule of the recipe (none: constant).</summary>
    protected virtual ILearningRateSchedule? Schedule => null;

    /// <summary>TorchSharp's optimizer of the same recipe over <paramref name="parameters"/>.</summary>
    protected abstract torch.optim.Optimizer BuildTorchOptimizer(IEnumerable<TorchSharp.Modules.Parameter> parameters);

    /// <summary>The shape of one TorchSharp input batch of <paramref name="count"/> samples.</summary>
    protected abstract long[] TorchBatchShape(int count);

    [GlobalSetup(Target = nameof(NeuralNetEpoch))]
    public void SetupNeuralNet()
    {
        UseThreads();
        data = FashionData.Training(Samples);
        trainer = new Trainer<float>(BuildNetwork(), new CrossEntropyLoss<float>(), BuildOptimizer(),
            new TrainerOptions { Epochs = 1, BatchSize = BatchSize, Seed = Seed, Shuffle = true, Schedule = Schedule });
    }

    [GlobalSetup(Target = nameof(TorchSharpEpoch))]
    public void SetupTorchSharp()
    {
        UseThreads();
        data = FashionData.Training(Samples);
        torch.manual_seed(Seed);
        torchModel = Models.ToTorch(BuildNetwork());
        torchModel.train();
        torchOptimizer = BuildTorchOptimizer(torchModel.parameters());
        torchLoss = nn.CrossEntropyLoss();

        // Epoch 1 of Trainer.Fit visits the samples in the order of Dataset.Shuffle(seed): the same permutation.
        Dataset<float> shuffled = data.Shuffle(Seed);
        float[] images = FashionData.Storage(shuffled.Features);
        int features = shuffled.FeatureCount;
        var batches = new List<(Tensor, Tensor)>();
        for (int start = 0; start < shuffled.Count; start += BatchSize)
        {
            int count = Math.Min(BatchSize, shuffled.Count - start);
            var x = torch.tensor(images.AsSpan(start * features, count * features).ToArray(), TorchBatchShape(count));
            long[] labels = [.. Enumerable.Range(start, count).Select(i => (long)shuffled.Labels![i])];
            batches.Add((x, torch.tensor(labels, [count])));
        }

        torchBatches = [.. batches];
    }

    private void UseThreads()
    {
        Comparisons.Threads.Use(Threads);
        Console.WriteLine($"// threads: {Comparisons.Threads.Describe()}");
    }

    [Benchmark(Description = "NeuralNet")]
    public double NeuralNetEpoch() => trainer!.Fit(data)[0].TrainingLoss;

    [Benchmark(Description = "TorchSharp")]
    public double TorchSharpEpoch()
    {
        nn.Module<Tensor, Tensor> model = torchModel!;
        torch.optim.Optimizer optimizer = torchOptimizer!;
        float last = 0;
        for (int b = 0; b < torchBatches.Length; b++)
        {
            using DisposeScope scope = torch.NewDisposeScope();
            (Tensor images, Tensor labels) = torchBatches[b];
            optimizer.zero_grad();
            Tensor loss = torchLoss!.forward(model.forward(images), labels);
            loss.backward();
            optimizer.step();
            if (b == torchBatches.Length - 1)
            {
                last = loss.item<float>();
            }
        }

        return last;
    }
}

/// <summary>
/// The CNN "small" of issue 10: SGD lr 0.05, momentum 0.9, weight decay 5e-4, cosine schedule per epoch (constant within
/// one epoch). Measured on the first 10,000 training samples (157 batches) per call; the table scales it × 6 to a
/// 60,000-sample epoch, so the whole comparison stays within minutes.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3)]
[MemoryDiagnoser(false)]
public class CnnEpochBenchmarks : EpochBenchmarks
{
    internal const int SubsetSamples = 10_000;

    internal override int Samples => SubsetSamples;

    protected override Network<float> BuildNetwork() => Models.Cnn(Seed);

    protected override IOptimizer<float> BuildOptimizer() => new Sgd<float>(0.05, momentum: 0.9, weightDecay: 5e-4);

    protected override ILearningRateSchedule? Schedule => new CosineAnnealingSchedule(10);

    protected override torch.optim.Optimizer BuildTorchOptimizer(IEnumerable<TorchSharp.Modules.Parameter> parameters) =>
        torch.optim.SGD(parameters, 0.05, momentum: 0.9, weight_decay: 5e-4);

    protected override long[] TorchBatchShape(int count) => [count, 1, 28, 28];
}

/// <summary>
/// The issue 3 MLP epoch (benchmarks/NeuralNet.Benchmarks/EpochBenchmarks.cs): 784-256-128-10 ReLU, SGD lr 0.05,
/// momentum 0.9, batch 64, all 60,000 samples.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
[MemoryDiagnoser(false)]
public class MlpEpochBenchmarks : EpochBenchmarks
{
    internal override int Samples => 60_000;

    protected override Network<float> BuildNetwork() => Models.Mlp(Seed);

    protected override IOptimizer<float> BuildOptimizer() => new Sgd<float>(0.05, momentum: 0.9);

    protected override torch.optim.Optimizer BuildTorchOptimizer(IEnumerable<TorchSharp.Modules.Parameter> parameters) =>
        torch.optim.SGD(parameters, 0.05, momentum: 0.9);

    protected override long[] TorchBatchShape(int count) => [count, Models.Pixels];
}
