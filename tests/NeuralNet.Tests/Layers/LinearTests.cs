using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Layers;

namespace NeuralNet.Tests.Layers;

/// <summary>A linear layer built from given weights (its gradients are in <see cref="LayerGradientTests"/>).</summary>
public sealed class LinearTests
{
    [Fact]
    public void Linear_FromGivenWeights_ComputesWxPlusB()
    {
        var w = Matrix<double>.Build.DenseOfArray(new double[,] { { 1, 2 }, { 3, 4 }, { 5, 6 } });
        var b = MathNet.Numerics.LinearAlgebra.Vector<double>.Build.DenseOfArray([0.5, -0.5, 1]);
        var layer = new Linear<double>(w, b);

        Matrix<double> y = new Network<double>(layer).Predict(Matrix<double>.Build.DenseOfColumnArrays([1.0, -1.0]));

        y.Column(0).Should().Equal(MathNet.Numerics.LinearAlgebra.Vector<double>.Build.DenseOfArray([-0.5, -1.5, 0]));
        layer.WeightInitializer.Should().BeNull();
        w[0, 0] = 100;
        layer.Weights[0, 0].Should().Be(1, "the given weights are copied");
    }

    [Fact]
    public void Linear_WithMismatchedBias_IsRefused()
    {
        Action act = () => _ = new Linear<float>(Matrix<float>.Build.Dense(3, 2), MathNet.Numerics.LinearAlgebra.Vector<float>.Build.Dense(2));
        act.Should().Throw<ArgumentException>().WithMessage("*bias has 2 elements*3 rows*");
    }
}
