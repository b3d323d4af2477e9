using System.Numerics.Tensors;
using BenchmarkDotNet.Attributes;
using NeuralNet.Optimizers;

namespace NeuralNet.Benchmarks;

/// <summary>
/// The SGD momentum update of the 784-256-128-10 MLP (235,146 parameters): <c>Sgd.Step</c> against round 1's form,
/// three whole-array passes per parameter (the baseline, same run), which streams θ, g and Δθ from memory once per pass.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 7)]
public class SgdBenchmarks
{
    private const float LearningRate = 0.05f, Momentum = 0.9f;
    private IReadOnlyList<Parameter<float>> parameters = null!;
    private float[][] velocities = null!;
    private readonly Sgd<float> sgd = new(LearningRate, momentum: Momentum);

    [GlobalSetup]
    public void Setup()
    {
        Network<float> mlp = Mlp.FashionMlp();
        parameters = mlp.Parameters;
        var random = new Random(4);
        velocities = new float[parameters.Count][];
        for (int p = 0; p < parameters.Count; p++)
        {
            Span<float> gradient = parameters[p].GradientSpan;
            for (int i = 0; i < gradient.Length; i++)
            {
                gradient[i] = (float)(random.NextDouble() - 0.5) * 1e-3f;
            }

            velocities[p] = new float[parameters[p].Length];
        }
    }

    [Benchmark(Baseline = true, Description = "SGD momentum, 3 whole-array passes (round 1)")]
    public void ThreePasses()
    {
        for (int p = 0; p < parameters.Count; p++)
        {
            Span<float> theta = parameters[p].ValueSpan, g = parameters[p].GradientSpan, velocity = velocities[p];
            TensorPrimitives.Multiply(velocity, Momentum, velocity);
            TensorPrimitives.MultiplyAdd(g, -LearningRate, velocity, velocity);
            TensorPrimitives.Add(theta, velocity, theta);
        }
    }

    [Benchmark(Description = "Sgd.Step (cache-sized chunks)")]
    public void Step() => sgd.Step(parameters);
}
