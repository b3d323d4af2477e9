using BenchmarkDotNet.Attributes;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Compute;

namespace NeuralNet.Benchmarks;

/// <summary>
/// The matrix products of one training step of the 784-256-128-10 MLP at batch 64 (first layer), on one thread,
/// against MathNet's managed <c>Multiply</c> in the same run. GFLOP/s = 2·m·n·k / time (25.7 MFLOP each).
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 7)]
public class GemmBenchmarks
{
    private Matrix<float> weights = null!;      // 256 × 784
    private Matrix<float> input = null!;        // 784 × 64
    private Matrix<float> output = null!;       // 256 × 64
    private Matrix<float> weightGradient = null!; // 256 × 784
    private Matrix<float> inputGradient = null!;  // 784 × 64
    private float[] w = null!, x = null!, y = null!, dw = null!, dx = null!;
    private string kind = "NN";

    /// <summary>Which product: forward <c>W·X</c> (NN), weight gradient <c>G·Xᵀ</c> (NT), input gradient <c>Wᵀ·G</c> (TN).</summary>
    [Params("NN 256x64x784", "NT 256x784x64", "TN 784x64x256")]
    public string Product { get; set; } = "NN 256x64x784";

    [GlobalSetup]
    public void Setup()
    {
        ComputeInfo.MaxThreads = 1;
        kind = Product[..2];
        weights = Mlp.RandomBatch(256, 784, 1);
        input = Mlp.RandomBatch(784, 64, 2);
        output = Mlp.RandomBatch(256, 64, 3);
        weightGradient = Matrix<float>.Build.Dense(256, 784);
        inputGradient = Matrix<float>.Build.Dense(784, 64);
        w = weights.AsColumnMajorArray();
        x = input.AsColumnMajorArray();
        y = output.AsColumnMajorArray();
        dw = weightGradient.AsColumnMajorArray();
        dx = inputGradient.AsColumnMajorArray();
    }

    [Benchmark(Baseline = true, Description = "MathNet Multiply")]
    public void MathNetMultiply()
    {
        switch (kind)
        {
            case "NN": weights.Multiply(input, output); break;
            case "NT": output.TransposeAndMultiply(input, weightGradient); break;
            default: weights.TransposeThisAndMultiply(output, inputGradient); break;
        }
    }

    [Benchmark(Description = "NeuralNet Gemm")]
    public void NeuralNetGemm()
    {
        switch (kind)
        {
            case "NN": Gemm.Multiply(false, false, 256, 64, 784, 1f, w, 256, x, 784, 0f, y, 256); break;
            case "NT": Gemm.Multiply(false, true, 256, 784, 64, 1f, y, 256, x, 784, 0f, dw, 256); break;
            default: Gemm.Multiply(true, false, 784, 64, 256, 1f, w, 256, y, 256, 0f, dx, 784); break;
        }
    }
}
