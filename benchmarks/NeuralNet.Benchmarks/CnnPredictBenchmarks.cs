using BenchmarkDotNet.Attributes;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Compute;

namespace NeuralNet.Benchmarks;

/// <summary>
/// <c>Network.Predict</c> of the CNN "small" (issue 10) at batch 1 and 1000, 1 and 2 threads: the figures the ONNX
/// Runtime comparison (benchmarks/NeuralNet.Comparisons, <c>*CnnInference*</c>) measures, without ONNX Runtime in the
/// process, so two builds can be compared in alternating runs.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 9)]
public class CnnPredictBenchmarks
{
    private Network<float> network = null!;
    private Matrix<float> input = null!;

    /// <summary>Cap on the threads (ComputeInfo.MaxThreads).</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    /// <summary>Samples per call.</summary>
    [Params(1, 1000)]
    public int Batch { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        ComputeInfo.MaxThreads = Threads;
        network = SmallCnn.Create();
        input = Mlp.RandomBatch(784, Batch, 2);
    }

    [Benchmark(Description = "small CNN Predict")]
    public Matrix<float> Predict() => network.Predict(input);
}
