using BenchmarkDotNet.Attributes;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Compute;
using NeuralNet.Layers;

namespace NeuralNet.Benchmarks;

/// <summary>Each layer's forward and backward at the MLP's first-layer shapes, batch 64, one thread.</summary>
[MemoryDiagnoser]
[MedianColumn]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 7)]
public class LayerBenchmarks
{
    private Linear<float> linear = null!;
    private Relu<float> relu = null!;
    private Softmax<float> softmax = null!;
    private Matrix<float> input = null!, hidden = null!, hiddenGradient = null!, logits = null!, logitGradient = null!;

    [GlobalSetup]
    public void Setup()
    {
        ComputeInfo.MaxThreads = 1;
        linear = new Linear<float>(784, 256, new Random(1), NeuralNet.Initializers.Initializer.HeNormal);
        relu = new Relu<float>();
        softmax = new Softmax<float>();
        input = Mlp.RandomBatch(784, 64, 2);
        hidden = Mlp.RandomBatch(256, 64, 3) - 0.5f;
        hiddenGradient = Mlp.RandomBatch(256, 64, 4) - 0.5f;
        logits = Mlp.RandomBatch(10, 64, 5);
        logitGradient = Mlp.RandomBatch(10, 64, 6) - 0.5f;
    }

    [Benchmark(Description = "Linear 784→256 forward+backward")]
    public Matrix<float> LinearStep()
    {
        linear.Forward(input);
        return linear.Backward(hiddenGradient);
    }

    [Benchmark(Description = "ReLU 256×64 forward+backward")]
    public Matrix<float> ReluStep()
    {
        relu.Forward(hidden);
        return relu.Backward(hiddenGradient);
    }

    [Benchmark(Description = "Softmax 10×64 forward+backward")]
    public Matrix<float> SoftmaxStep()
    {
        softmax.Forward(logits);
        return softmax.Backward(logitGradient);
    }
}
