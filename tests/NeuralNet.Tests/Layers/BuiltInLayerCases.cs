using NeuralNet.Initializers;
using NeuralNet.Layers;

namespace NeuralNet.Tests.Layers;

/// <summary>The configurations of the first release's layers that the layer contract checks.</summary>
public sealed class BuiltInLayerCases : ILayerCases
{
    private static readonly double[] Zero = [0.0];

    /// <inheritdoc />
    public IEnumerable<LayerCase> Cases =>
    [
        new("Linear(4 → 3)", () => new Linear<double>(4, 3, new Random(5), Initializer.GlorotNormal), Shape.Vector(4)),
        new("Linear(1 → 1)", () => new Linear<double>(1, 1, new Random(6)), Shape.Vector(1)),
        new("ReLU", () => new Relu<double>(), Shape.Vector(5), 0.05, Zero),
        new("LeakyReLU(0.1)", () => new LeakyRelu<double>(0.1), Shape.Vector(5), 0.05, Zero),
        new("Sigmoid", () => new Sigmoid<double>(), Shape.Vector(5)),
        new("Tanh", () => new Tanh<double>(), Shape.Of(2, 3)),
        new("Identity", () => new Identity<double>(), Shape.Vector(5)),
        new("Elu(0.7)", () => new Elu<double>(0.7), Shape.Vector(5), 0.05, Zero),
        new("Softplus", () => new Softplus<double>(), Shape.Vector(5)),
        new("Gelu", () => new Gelu<double>(), Shape.Vector(5)),
        new("Softmax", () => new Softmax<double>(), Shape.Vector(5)),
        new("Dropout(0.4)", () => new Dropout<double>(0.4, seed: 3), Shape.Of(3, 2)),
        new("BatchNorm1d(4)", () => Serialization.SerializationSamples.RandomBatchNorm<double>(4, new Random(2)), Shape.Vector(4)),
    ];
}
