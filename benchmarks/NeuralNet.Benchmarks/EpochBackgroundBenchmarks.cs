using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using NeuralNet.Compute;
using NeuralNet.Data;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Training;

namespace NeuralNet.Benchmarks;

/// <summary>
/// The headline Fashion-MNIST epoch (<see cref="EpochBenchmarks"/>: 60,000 samples, batch 64, 784-256-128-10 ReLU, SGD
/// momentum) with <see cref="TrainerOptions.AssembleBatchesInBackground"/> off and on, at 1 and 2 matrix-product threads:
/// what the batch thread saves or costs when it competes with the product for the second core.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class EpochBackgroundBenchmarks
{
    private Dataset<float> training = null!;
    private Trainer<float> trainer = null!;

    /// <summary>Cap on the threads a product may use.</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    /// <summary>Whether batches are assembled on the background thread.</summary>
    [Params(false, true)]
    public bool Background { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        ComputeInfo.MaxThreads = Threads;
        (MathNet.Numerics.LinearAlgebra.Matrix<float> images, int[] labels) = FashionMnist.LoadTraining();
        training = Dataset<float>.ForClassification(images, labels, 10);
        trainer = new Trainer<float>(
            Mlp.FashionMlp(), new CrossEntropyLoss<float>(), new Sgd<float>(0.05, momentum: 0.9),
            new TrainerOptions { Epochs = 1, BatchSize = 64, Seed = 1, AssembleBatchesInBackground = Background });
    }

    [Benchmark(Description = "Fashion-MNIST epoch")]
    public double Epoch() => trainer.Fit(training)[0].TrainingLoss;
}
