using NeuralNet.Initializers;
using NeuralNet.Layers;

namespace NeuralNet.Benchmarks;

/// <summary>Issue 10's network "small" for Fashion-MNIST (1 × 28 × 28): two 3×3 convolutions with pooling, then two linear layers.</summary>
internal static class SmallCnn
{
    public static Network<float> Create(int seed = 1)
    {
        var random = new Random(seed);
        return new Network<float>(
            Shape.Of(1, 28, 28),
            new Conv2d<float>(1, 32, 3, random, Initializer.HeNormal, padding: 1),
            new Relu<float>(),
            new MaxPool2d<float>(2),
            new Conv2d<float>(32, 64, 3, random, Initializer.HeNormal, padding: 1),
            new Relu<float>(),
            new MaxPool2d<float>(2),
            new Flatten<float>(),
            new Linear<float>(64 * 7 * 7, 128, random, Initializer.HeNormal),
            new Relu<float>(),
            new Dropout<float>(0.25, seed),
            new Linear<float>(128, 10, random));
    }
}
