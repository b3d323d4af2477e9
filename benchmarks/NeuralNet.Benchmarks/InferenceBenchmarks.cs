using BenchmarkDotNet.Attributes;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Compute;

namespace NeuralNet.Benchmarks;

/// <summary>
/// Inference on the 784-256-128-10 MLP through the public <c>Network.Predict</c>: one sample, and batches of 1000
/// (samples/s = 1000 / time), at 1 and 2 threads; and the obvious MathNet version (<c>W·X + b</c>, ReLU by
/// <c>PointwiseMaximum</c>, with the same weights) as the same-run baseline.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[MinColumn]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 7)]
public class InferenceBenchmarks
{
    private Network<float> mlp = null!;
    private Matrix<float> one = null!, thousand = null!;
    private (Matrix<float> Weights, MathNet.Numerics.LinearAlgebra.Vector<float> Bias)[] layers = null!;

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
        layers = [.. mlp.Layers.OfType<NeuralNet.Layers.Linear<float>>().Select(l => (l.Weights.Clone(), l.Bias.Clone()))];
    }

    [Benchmark(Description = "MathNet W·X + b, batch 1")]
    public Matrix<float> MathNetOne() => MathNetPredict(one);

    [Benchmark(Description = "MathNet W·X + b, batch 1000")]
    public Matrix<float> MathNetThousand() => MathNetPredict(thousand);

    [Benchmark(Description = "Predict batch 1")]
    public Matrix<float> PredictOne() => mlp.Predict(one);

    [Benchmark(Description = "Predict batch 1000")]
    public Matrix<float> PredictThousand() => mlp.Predict(thousand);

    private Matrix<float> MathNetPredict(Matrix<float> input)
    {
        Matrix<float> activation = input;
        for (int i = 0; i < layers.Length; i++)
        {
            (Matrix<float> weights, MathNet.Numerics.LinearAlgebra.Vector<float> bias) = layers[i];
            Matrix<float> product = weights * activation;
            activation = product + Matrix<float>.Build.Dense(bias.Count, product.ColumnCount, (row, _) => bias[row]);
            if (i < layers.Length - 1)
            {
                activation = activation.PointwiseMaximum(0f);
            }
        }

        return activation;
    }
}
