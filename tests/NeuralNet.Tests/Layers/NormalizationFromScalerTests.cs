using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Data;
using NeuralNet.Layers;

namespace NeuralNet.Tests.Layers;

public sealed class NormalizationFromScalerTests
{
    // Two features (rows) × three samples (columns); the second feature is constant.
    private static readonly Matrix<float> Training = Matrix<float>.Build.DenseOfArray(new float[,] { { 1, 2, 6 }, { 5, 5, 5 } });
    private static readonly Matrix<float> NewData = Matrix<float>.Build.DenseOfArray(new float[,] { { -3, 0.5f, 11, 4 }, { 5, 6, 2.5f, 5 } });

    [Fact]
    public void StandardScalerFromScaler_PredictsTheTransform()
    {
        var scaler = new StandardScaler<float>();
        scaler.Fit(Training);

        Normalization<float> layer = Normalization<float>.FromScaler(scaler);

        layer.Mean.ToArray().Should().Equal(3, 5);
        layer.Variance.ToArray().Should().Equal(14f / 3, 1); // the constant feature's divisor 1 becomes variance 1
        new Network<float>(layer).Predict(NewData).ToColumnMajorArray()
            .Should().Equal(scaler.Transform(NewData).ToColumnMajorArray(), (a, e) => Math.Abs(a - e) <= 1e-6f * Math.Max(1, Math.Abs(e)));
    }

    [Fact]
    public void MinMaxScalerFromScaler_PredictsTheTransform()
    {
        var scaler = new MinMaxScaler<float>();
        scaler.Fit(Training);

        Normalization<float> layer = Normalization<float>.FromScaler(scaler);

        layer.Mean.ToArray().Should().Equal(1, 5);
        layer.Variance.ToArray().Should().Equal(25, 1);
        new Network<float>(layer).Predict(NewData).ToColumnMajorArray()
            .Should().Equal(scaler.Transform(NewData).ToColumnMajorArray(), (a, e) => Math.Abs(a - e) <= 1e-6f * Math.Max(1, Math.Abs(e)));
    }

    [Fact]
    public void FromScaler_LaterFit_DoesNotChangeTheLayer()
    {
        var scaler = new StandardScaler<float>();
        scaler.Fit(Training);
        Normalization<float> layer = Normalization<float>.FromScaler(scaler);

        scaler.Fit(NewData);

        layer.Mean.ToArray().Should().Equal(3, 5);
    }

    [Fact]
    public void FromScaler_NotFitted_Throws()
    {
        FluentActions.Invoking(() => Normalization<double>.FromScaler(new MinMaxScaler<double>())).Should().Throw<InvalidOperationException>().WithMessage("MinMaxScaler has not been fitted*");
    }
}
