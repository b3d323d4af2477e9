using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using NeuralNet.Compute;
using NeuralNet.Data;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Training;

namespace NeuralNet.Benchmarks;

/// <summary>
/// One Fashion-MNIST training epoch through the public trainer: 60,000 samples, batch 64, 784-256-128-10 ReLU,
/// SGD momentum 0.9, learning rate 0.05, at 1 and 2 threads.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[MinColumn]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class EpochBenchmarks
{
    private Dataset<float> training = null!;
    private Trainer<float> trainer = null!;

    /// <summary>Cap on the threads a product may use.</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        ComputeInfo.MaxThreads = Threads;
        (MathNet.Numerics.LinearAlgebra.Matrix<float> images, int[] labels) = FashionMnist.LoadTraining();
        training = Dataset<float>.ForClassification(images, labels, 10);
        trainer = new Trainer<float>(
            Mlp.FashionMlp(), new CrossEntropyLoss<float>(), new Sgd<float>(0.05, momentum: 0.9),
            new TrainerOptions { Epochs = 1, BatchSize = 64, Seed = 1 });
    }

    [Benchmark(Description = "Fashion-MNIST epoch")]
    public double Epoch() => trainer.Fit(training)[0].TrainingLoss;
}
