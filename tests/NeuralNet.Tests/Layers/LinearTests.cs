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

    [Fact]
    public void BiasGradient_AfterBackward_IsTheBiasParametersOutputsByOneMatrixWithTheDocumentedVectorViews()
    {
        var layer = new Linear<double>(Matrix<double>.Build.Dense(3, 2, 0.5), MathNet.Numerics.LinearAlgebra.Vector<double>.Build.Dense(3));
        layer.Forward(Matrix<double>.Build.DenseOfColumnArrays([1.0, 2.0], [3.0, 4.0]));
        layer.Backward(Matrix<double>.Build.DenseOfColumnArrays([1.0, 2.0, 3.0], [10.0, 20.0, 30.0]));

        layer.BiasGradient.RowCount.Should().Be(3);
        layer.BiasGradient.ColumnCount.Should().Be(1);
        layer.BiasGradient.Should().BeSameAs(layer.Parameters[1].Gradient);
        layer.BiasGradient.Column(0).ToArray().Should().Equal(11.0, 22.0, 33.0); // the upstream gradient summed over the batch

        // The live vector view the documentation shows: shares storage with the gradient, as Bias does with the value.
        var view = MathNet.Numerics.LinearAlgebra.Vector<double>.Build.Dense(layer.BiasGradient.AsColumnMajorArray());
        layer.Parameters[1].GradientSpan[1] = -7;
        view[1].Should().Be(-7);
        layer.BiasGradient[1, 0].Should().Be(-7);
    }
}
