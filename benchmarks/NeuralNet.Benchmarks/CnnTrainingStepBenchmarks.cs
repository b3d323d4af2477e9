using BenchmarkDotNet.Attributes;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Compute;
using NeuralNet.Losses;
using NeuralNet.Optimizers;

namespace NeuralNet.Benchmarks;

/// <summary>
/// One SGD training step of the CNN "small" (issue 10) at batch 64, as the trainer runs it: forward, cross-entropy,
/// <c>BackwardParameters</c> (no input gradient for the first layer), SGD momentum update. An epoch of
/// Fashion-MNIST is 938 such steps: epoch estimate = median × 938. Also the network's Predict of the same batch.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 9)]
public class CnnTrainingStepBenchmarks
{
    private readonly CrossEntropyLoss<float> loss = new();
    private readonly Sgd<float> optimizer = new(0.05, momentum: 0.9);
    private Network<float> network = null!;
    private Matrix<float> input = null!, gradient = null!;
    private int[] labels = null!;

    /// <summary>Cap on the threads (ComputeInfo.MaxThreads).</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        ComputeInfo.MaxThreads = Threads;
        network = SmallCnn.Create();
        input = Mlp.RandomBatch(784, 64, 2);
        labels = Mlp.RandomLabels(64, 10, 3);
        gradient = Matrix<float>.Build.Dense(10, 64);
    }

    [Benchmark(Description = "small CNN SGD step, batch 64")]
    public float Step()
    {
        Matrix<float> output = network.Forward(input);
        float value = loss.Compute(output, labels, gradient);
        network.BackwardParameters(gradient);
        optimizer.Step(network.Parameters);
        return value;
    }

    [Benchmark(Description = "small CNN Predict, batch 64")]
    public Matrix<float> Predict() => network.Predict(input);
}
