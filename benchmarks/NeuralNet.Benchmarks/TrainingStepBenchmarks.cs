using BenchmarkDotNet.Attributes;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Compute;
using NeuralNet.Losses;
using NeuralNet.Optimizers;

namespace NeuralNet.Benchmarks;

/// <summary>
/// One training step, as the trainer runs it: forward, cross-entropy (or MSE) loss and gradient, backward, SGD
/// momentum update. Check the Allocated column: the target is under 1 KB per step.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[MinColumn]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 7)]
public class TrainingStepBenchmarks
{
    private Network<float> mlp = null!, xor = null!;
    private Matrix<float> mlpInput = null!, mlpGradient = null!, xorInput = null!, xorTargets = null!, xorGradient = null!;
    private int[] mlpLabels = null!;
    private readonly CrossEntropyLoss<float> crossEntropy = new();
    private readonly MeanSquaredErrorLoss<float> meanSquaredError = new();
    private readonly Sgd<float> mlpOptimizer = new(0.05, momentum: 0.9);
    private readonly Sgd<float> xorOptimizer = new(0.1, momentum: 0.9);

    [GlobalSetup]
    public void Setup()
    {
        ComputeInfo.MaxThreads = 1;
        mlp = Mlp.FashionMlp();
        mlpInput = Mlp.RandomBatch(784, 64, 2);
        mlpLabels = Mlp.RandomLabels(64, 10, 3);
        mlpGradient = Matrix<float>.Build.Dense(10, 64);
        xor = Mlp.Xor();
        xorInput = Matrix<float>.Build.DenseOfArray(new float[,] { { 0, 0, 1, 1 }, { 0, 1, 0, 1 } });
        xorTargets = Matrix<float>.Build.DenseOfArray(new float[,] { { 0, 1, 1, 0 } });
        xorGradient = Matrix<float>.Build.Dense(1, 4);
    }

    [Benchmark(Description = "MLP 784-256-128-10 step, batch 64")]
    public float MlpStep()
    {
        Matrix<float> output = mlp.Forward(mlpInput);
        float loss = crossEntropy.Compute(output, mlpLabels, mlpGradient);
        mlp.Backward(mlpGradient);
        mlpOptimizer.Step(mlp.Parameters);
        return loss;
    }

    /// <summary>
    /// The same step with <c>Network.BackwardParameters</c>, which skips the first layer's unused input gradient
    /// (<c>Wᵀ·G</c>, 784×64×256): what the trainer gains once it calls it.
    /// </summary>
    [Benchmark(Description = "MLP step, first-layer input gradient skipped")]
    public float MlpStepParametersOnly()
    {
        Matrix<float> output = mlp.Forward(mlpInput);
        float loss = crossEntropy.Compute(output, mlpLabels, mlpGradient);
        mlp.BackwardParameters(mlpGradient);
        mlpOptimizer.Step(mlp.Parameters);
        return loss;
    }

    [Benchmark(Description = "XOR 2-8-1 step, batch 4")]
    public float XorStep()
    {
        Matrix<float> output = xor.Forward(xorInput);
        float loss = meanSquaredError.Compute(output, xorTargets, xorGradient);
        xor.Backward(xorGradient);
        xorOptimizer.Step(xor.Parameters);
        return loss;
    }

    /// <summary>The XOR step as <c>Trainer.Fit</c> runs it: <c>BackwardParameters</c>, no input gradient for the first layer.</summary>
    [Benchmark(Description = "XOR 2-8-1 step, batch 4, as the trainer runs it")]
    public float XorTrainerStep()
    {
        Matrix<float> output = xor.Forward(xorInput);
        float loss = meanSquaredError.Compute(output, xorTargets, xorGradient);
        xor.BackwardParameters(xorGradient);
        xorOptimizer.Step(xor.Parameters);
        return loss;
    }
}
