using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Layers;

namespace NeuralNet.Tests.Layers;

public sealed class SoftmaxTests
{
    [Fact]
    public void Forward_HugeLogits_ColumnsSumToOneAndStayFinite()
    {
        Matrix<float> logits = Matrix<float>.Build.DenseOfArray(new float[,]
        {
            { 1000f, -1000f, 0f, 3f },
            { -1000f, 1000f, 0f, 1f },
            { 999f, -1000f, 0f, -2f },
        });

        Matrix<float> s = new Softmax<float>().Forward(logits);

        foreach (float value in s.Enumerate())
        {
            float.IsFinite(value).Should().BeTrue();
        }

        foreach (MathNet.Numerics.LinearAlgebra.Vector<float> column in s.EnumerateColumns())
        {
            column.Sum().Should().BeApproximately(1f, 1e-6f);
        }

        // exp(1000 − 1000) : exp(999 − 1000) = 1 : e⁻¹
        s[0, 0].Should().BeApproximately(1f / (1f + MathF.Exp(-1f)), 1e-6f);
        s[2, 0].Should().BeApproximately(MathF.Exp(-1f) / (1f + MathF.Exp(-1f)), 1e-6f);
        s[1, 1].Should().Be(1f);
        s[0, 2].Should().BeApproximately(1f / 3f, 1e-7f);
    }

    [Fact]
    public void Backward_IsTheJacobianVectorProduct()
    {
        // J = diag(s) − s sᵀ, so Jᵀg = s ⊙ (g − ⟨g, s⟩), computed here from the explicit Jacobian.
        var layer = new Softmax<double>();
        Matrix<double> z = Matrix<double>.Build.DenseOfColumnArrays([0.3, -1.2, 2.0]);
        Matrix<double> g = Matrix<double>.Build.DenseOfColumnArrays([0.5, 2.0, -1.0]);

        MathNet.Numerics.LinearAlgebra.Vector<double> s = layer.Forward(z).Column(0);
        Matrix<double> jacobian = Matrix<double>.Build.DenseOfDiagonalVector(s) - s.OuterProduct(s);
        MathNet.Numerics.LinearAlgebra.Vector<double> expected = jacobian.TransposeThisAndMultiply(g.Column(0));

        (layer.Backward(g).Column(0) - expected).L2Norm().Should().BeLessThan(1e-14);
    }
}
