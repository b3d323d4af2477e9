using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Layers;

namespace NeuralNet.Tests.Layers;

/// <summary>Flatten changes the shape the next layer sees and moves no data.</summary>
public sealed class FlattenTests : ILayerCases
{
    /// <inheritdoc />
    public IEnumerable<LayerCase> Cases => [new("Flatten of (2, 3, 2)", () => new Flatten<double>(), Shape.Of(2, 3, 2))];

    [Fact]
    public void Network_FlattensAnImageForALinearLayer()
    {
        var network = new Network<float>(Shape.Of(2, 3, 2), new Flatten<float>(), new Linear<float>(12, 4, new Random(1)));

        network.GetLayerOutputShape(0).Should().Be(Shape.Vector(12));
        network.OutputShape.Should().Be(Shape.Vector(4));
    }

    [Fact]
    public void ForwardAndBackward_ReturnTheirArgument_WithoutCopying()
    {
        var flatten = new Flatten<double>();
        Matrix<double> x = Matrix<double>.Build.Dense(12, 3, (i, j) => i + (10 * j));
        Matrix<double> g = Matrix<double>.Build.Dense(12, 3, 1.0);

        flatten.Forward(x).Should().BeSameAs(x);
        flatten.Backward(g).Should().BeSameAs(g);
    }

    [Fact]
    public void LinearAfterAnImage_WithoutFlatten_IsRefusedSuggestingIt()
    {
        Action build = () => _ = new Network<float>(Shape.Of(2, 3, 2), new Linear<float>(12, 4, new Random(1)));

        build.Should().Throw<ArgumentException>().WithMessage("*Linear(12 → 4) expects input samples of shape (12)*(2, 3, 2)*");
    }
}
