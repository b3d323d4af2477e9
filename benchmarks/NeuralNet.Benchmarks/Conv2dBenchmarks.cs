using BenchmarkDotNet.Attributes;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Compute;
using NeuralNet.Initializers;
using NeuralNet.Layers;

namespace NeuralNet.Benchmarks;

/// <summary>
/// The two convolutions of the CNN "small" at batch 64, one thread: conv1 (1 → 32, 3×3, padding 1, 28 × 28) and
/// conv2 (32 → 64, 3×3, padding 1, 14 × 14). GFLOP/s = FLOP / median time, FLOP = 2·out·in·kh·kw·H_o·W_o·batch per
/// direction: conv1 forward 57.8 MFLOP, forward + parameter gradients (no input gradient, as the first layer trains)
/// 115.6 MFLOP; conv2 forward 462.4 MFLOP, forward + backward 1387.3 MFLOP. Compare with FmaPeakBenchmarks in the same run.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 9)]
public class Conv2dBenchmarks
{
    private Conv2d<float> conv1 = null!, conv2 = null!;
    private Matrix<float> input1 = null!, gradient1 = null!, input2 = null!, gradient2 = null!, output1 = null!, output2 = null!;

    /// <summary>Cap on the threads the layer may use.</summary>
    [Params(1)]
    public int Threads { get; set; }

    /// <summary>Whether the layers may take the direct kernels (false: im2col + GEMM throughout, as before issue 10).</summary>
    [Params(true, false)]
    public bool Direct { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        ComputeInfo.MaxThreads = Threads;
        Conv2d<float>.ForcedDirect = Direct ? null : false;
        var random = new Random(1);
        conv1 = new Conv2d<float>(1, 32, 3, random, Initializer.HeNormal, padding: 1);
        conv2 = new Conv2d<float>(32, 64, 3, random, Initializer.HeNormal, padding: 1);
        _ = new Network<float>(Shape.Of(1, 28, 28), conv1);
        _ = new Network<float>(Shape.Of(32, 14, 14), conv2);
        input1 = Mlp.RandomBatch(28 * 28, 64, 2);
        gradient1 = Mlp.RandomBatch(32 * 28 * 28, 64, 3) - 0.5f;
        input2 = Mlp.RandomBatch(32 * 14 * 14, 64, 4) - 0.5f;
        gradient2 = Mlp.RandomBatch(64 * 14 * 14, 64, 5) - 0.5f;
        output1 = Matrix<float>.Build.Dense(32 * 28 * 28, 64);
        output2 = Matrix<float>.Build.Dense(64 * 14 * 14, 64);
    }

    [Benchmark(Description = "conv1 1→32 28×28 forward (57.8 MFLOP)")]
    public Matrix<float> Conv1Forward() => conv1.Forward(input1);

    [Benchmark(Description = "conv1 forward + parameter gradients (115.6 MFLOP)")]
    public Matrix<float> Conv1Train()
    {
        Matrix<float> y = conv1.Forward(input1);
        ((IParameterGradients<float>)conv1).BackwardParameters(gradient1);
        return y;
    }

    [Benchmark(Description = "conv1 Predict (57.8 MFLOP)")]
    public Matrix<float> Conv1Predict()
    {
        conv1.Predict(input1, output1);
        return output1;
    }

    [Benchmark(Description = "conv2 32→64 14×14 forward (462.4 MFLOP)")]
    public Matrix<float> Conv2Forward() => conv2.Forward(input2);

    [Benchmark(Description = "conv2 forward + backward (1387.3 MFLOP)")]
    public Matrix<float> Conv2Train()
    {
        conv2.Forward(input2);
        return conv2.Backward(gradient2);
    }

    [Benchmark(Description = "conv2 Predict (462.4 MFLOP)")]
    public Matrix<float> Conv2Predict()
    {
        conv2.Predict(input2, output2);
        return output2;
    }
}
