using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Initializers;
using NeuralNet.Layers;

namespace NeuralNet.Benchmarks;

/// <summary>The networks of issue 3: the 784-256-128-10 ReLU MLP and the 2-8-1 XOR net, seeded.</summary>
internal static class Mlp
{
    public static Network<float> FashionMlp(int seed = 1)
    {
        var random = new Random(seed);
        return new Network<float>(
            new Linear<float>(784, 256, random, Initializer.HeNormal),
            new Relu<float>(),
            new Linear<float>(256, 128, random, Initializer.HeNormal),
            new Relu<float>(),
            new Linear<float>(128, 10, random));
    }

    public static Network<float> Xor(int seed = 1)
    {
        var random = new Random(seed);
        return new Network<float>(
            new Linear<float>(2, 8, random, Initializer.HeNormal),
            new Tanh<float>(),
            new Linear<float>(8, 1, random));
    }

    public static Matrix<float> RandomBatch(int rows, int columns, int seed)
    {
        var random = new Random(seed);
        return Matrix<float>.Build.Dense(rows, columns, (_, _) => (float)random.NextDouble());
    }

    public static int[] RandomLabels(int count, int classes, int seed)
    {
        var random = new Random(seed);
        var labels = new int[count];
        for (int i = 0; i < count; i++)
        {
            labels[i] = random.Next(classes);
        }

        return labels;
    }
}
