using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Layers;
using NeuralNet.Onnx;

namespace NeuralNet.Tests.Layers;

/// <summary>SiLU against PyTorch's definition <c>x·σ(x)</c>, evaluated independently in double.</summary>
public sealed class SiluTests : ILayerCases
{
    /// <inheritdoc />
    public IEnumerable<LayerCase> Cases => [new("SiLU", () => new Silu<double>(), Shape.Of(2, 3))];

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(-1.0)]
    [InlineData(2.5)]
    [InlineData(-7.25)]
    [InlineData(30.0)]
    [InlineData(-30.0)]
    [InlineData(-700.0)]
    public void Double_EqualsTheDefinition(double x)
    {
        double expected = x / (1 + Math.Exp(-x));

        Apply<double>(x).Should().BeApproximately(expected, 4e-16 * Math.Max(1e-300, Math.Abs(expected)));
    }

    [Theory]
    [InlineData(-0.5)]
    [InlineData(3.0)]
    [InlineData(-20.0)]
    [InlineData(-90.0)]
    [InlineData(-100.0)]
    [InlineData(50.0)]
    public void Float_IsWithinAFewUlpsOfTheDoubleValue(double x)
    {
        float actual = Apply((float)x);
        double exact = (float)x / (1 + Math.Exp(-(double)(float)x));

        // A few float ulps of the exact value; in the denormal tail an ulp is float.Epsilon.
        Math.Abs(actual - exact).Should().BeLessThanOrEqualTo(4 * Math.Max(float.Epsilon, Math.Abs(exact) * Math.Pow(2, -23)));
    }

    [Fact]
    public void Derivative_IsSigmaTimesOnePlusXTimesOneMinusSigma()
    {
        var layer = new Silu<double>();
        Matrix<double> x = Matrix<double>.Build.DenseOfColumnArrays([-3.0, -0.2, 0.0, 1.7, 12.0]);
        layer.Forward(x);

        double[] dx = layer.Backward(Matrix<double>.Build.Dense(5, 1, 1.0)).ToColumnMajorArray();

        for (int i = 0; i < 5; i++)
        {
            double s = 1 / (1 + Math.Exp(-x[i, 0]));
            dx[i].Should().BeApproximately(s * (1 + (x[i, 0] * (1 - s))), 1e-15);
        }
    }

    [Fact]
    public void Export_IsRefusedNamingTheLayer()
    {
        var network = new Network<float>(new Linear<float>(2, 2, new Random(1)), new Silu<float>());

        network.Invoking(n => n.ExportOnnx(Path.Combine(Path.GetTempPath(), "never-written.onnx")))
            .Should().Throw<NotSupportedException>().WithMessage("*SiLU*no single SiLU operator*");
    }

    private static T Apply<T>(T x)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var output = Matrix<T>.Build.Dense(1, 1);
        new Silu<T>().Predict(Matrix<T>.Build.Dense(1, 1, x), output);
        return output[0, 0];
    }
}
