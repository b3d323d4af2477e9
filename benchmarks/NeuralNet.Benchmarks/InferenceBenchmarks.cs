using BenchmarkDotNet.Attributes;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Compute;

namespace NeuralNet.Benchmarks;

/// <summary>
/// Inference on the 784-256-128-10 MLP through the public <c>Network.Predict</c>: one sample, and batches of 1000
/// (samples/s = 1000 / time), at 1 and 2 threads.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 7)]
public class InferenceBenchmarks
{
    private Network<float> mlp = null!;
    private Matrix<float> one = null!, thousand = null!;

    /// <summary>Cap on the threads a product may use.</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        ComputeInfo.MaxThreads = Threads;
        mlp = Mlp.FashionMlp();
        one = Mlp.RandomBatch(784, 1, 2);
        thousand = Mlp.RandomBatch(784, 1000, 3);
    }

    [Benchmark(Description = "Predict batch 1")]
    public Matrix<float> PredictOne() => mlp.Predict(one);

    [Benchmark(Description = "Predict batch 1000")]
    public Matrix<float> PredictThousand() => mlp.Predict(thousand);
}
