using BenchmarkDotNet.Attributes;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Compute;
using NeuralNet.Losses;
using NeuralNet.Optimizers;

namespace NeuralNet.Benchmarks;

/// <summary>
/// Does a second thread pay off for small products? Batch-1 inference (products bound by reading the weights) and the
/// batch-64 training step (products of 4–26 MFLOP), at 2 threads, with round 1's rules (no skinny split, 32 MFLOP
/// threshold: everything here on one thread; the baseline, same run) and with the current defaults.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[MinColumn]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 7)]
public class ThreadSplitBenchmarks
{
    private const long RoundOneThresholdFlops = 32_000_000;
    private Network<float> mlp = null!;
    private Matrix<float> one = null!, batch = null!, gradient = null!;
    private int[] labels = null!;
    private readonly CrossEntropyLoss<float> loss = new();
    private readonly Sgd<float> sgd = new(0.05, momentum: 0.9);

    /// <summary>False: round 1's split rules; true: the current defaults.</summary>
    [Params(false, true)]
    public bool Split { get; set; }

    [GlobalSetup(Target = nameof(PredictOne))]
    public void SkinnySplit()
    {
        Setup();
        ComputeSettings.SkinnySplitElements = Split ? ComputeSettings.DefaultSkinnySplitElements : long.MaxValue;
    }

    [GlobalSetup(Target = nameof(TrainingStep))]
    public void StepSplit()
    {
        Setup();
        ComputeSettings.SkinnySplitElements = long.MaxValue;
        ComputeSettings.ParallelThresholdFlops = Split ? ComputeInfo.ParallelThresholdFlops : RoundOneThresholdFlops;
    }

    private void Setup()
    {
        ComputeInfo.MaxThreads = 2;
        mlp = Mlp.FashionMlp();
        one = Mlp.RandomBatch(784, 1, 2);
        batch = Mlp.RandomBatch(784, 64, 2);
        labels = Mlp.RandomLabels(64, 10, 3);
        gradient = Matrix<float>.Build.Dense(10, 64);
    }

    [GlobalCleanup]
    public void Restore()
    {
        ComputeSettings.SkinnySplitElements = ComputeSettings.DefaultSkinnySplitElements;
        ComputeSettings.ParallelThresholdFlops = ComputeInfo.ParallelThresholdFlops;
    }

    [Benchmark(Description = "Predict batch 1, 2 threads")]
    public Matrix<float> PredictOne() => mlp.Predict(one);

    [Benchmark(Description = "MLP step batch 64, 2 threads (first-layer input gradient skipped)")]
    public float TrainingStep()
    {
        Matrix<float> output = mlp.Forward(batch);
        float value = loss.Compute(output, labels, gradient);
        mlp.BackwardParameters(gradient);
        sgd.Step(mlp.Parameters);
        return value;
    }
}
