using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Data;

namespace NeuralNet.Tests.Data;

public sealed class ScalerTests
{
    // Two features (rows) × three samples (columns); the second feature is constant.
    private static readonly Matrix<double> Training = Matrix<double>.Build.DenseOfArray(new double[,] { { 1, 2, 6 }, { 5, 5, 5 } });

    [Fact]
    public void StandardScaler_FitsMeanAndPopulationDeviation()
    {
        var scaler = new StandardScaler<double>();

        scaler.Fit(Training);

        scaler.Offsets.Should().Equal(3, 5);
        scaler.Scales[0].Should().BeApproximately(Math.Sqrt(14.0 / 3), 1e-15); // ((−2)² + (−1)² + 3²) / 3
    }

    [Fact]
    public void StandardScaler_OnTrainingData_OutputsZeroMeanAndUnitDeviation()
    {
        Matrix<double> scaled = new StandardScaler<double>().FitTransform(Training);

        double deviation = Math.Sqrt(14.0 / 3);
        scaled.Row(0).ToArray().Should().Equal([-2 / deviation, -1 / deviation, 3 / deviation], (a, b) => Math.Abs(a - b) < 1e-15);
    }

    [Fact]
    public void StandardScaler_ConstantFeature_IsCentredButNotDivided()
    {
        var scaler = new StandardScaler<double>();
        Matrix<double> scaled = scaler.FitTransform(Training);

        scaler.Scales[1].Should().Be(1);
        scaled.Row(1).ToArray().Should().Equal(0, 0, 0);
        scaler.Transform(Matrix<double>.Build.DenseOfArray(new double[,] { { 3 }, { 7 } }))[1, 0].Should().Be(2);
    }

    [Fact]
    public void Transform_NewData_AppliesTheFittedStatistics()
    {
        var scaler = new StandardScaler<double>();
        scaler.Fit(Training);

        Matrix<double> test = scaler.Transform(Matrix<double>.Build.DenseOfArray(new double[,] { { 3 + Math.Sqrt(14.0 / 3) }, { 5 } }));

        test[0, 0].Should().BeApproximately(1, 1e-15);
        test[1, 0].Should().Be(0);
    }

    [Fact]
    public void InverseTransform_UndoesTransform()
    {
        var scaler = new StandardScaler<double>();

        Matrix<double> restored = scaler.InverseTransform(scaler.FitTransform(Training));

        restored.Should().Match<Matrix<double>>(m => m.Subtract(Training).Enumerate().All(d => Math.Abs(d) < 1e-14));
    }

    [Fact]
    public void MinMaxScaler_MapsTheTrainingRangeToTheUnitInterval()
    {
        var scaler = new MinMaxScaler<double>();

        Matrix<double> scaled = scaler.FitTransform(Training);

        scaler.Offsets.Should().Equal(1, 5);
        scaler.Scales.Should().Equal(5, 1);
        scaled.Row(0).ToArray().Should().Equal(0, 0.2, 1);
        scaled.Row(1).ToArray().Should().Equal(0, 0, 0);
        scaler.Transform(Matrix<double>.Build.DenseOfArray(new double[,] { { 11 }, { 4 } })).Column(0).ToArray().Should().Equal(2, -1);
    }

    [Fact]
    public void Transform_BeforeFit_Throws()
    {
        Action transform = () => new MinMaxScaler<float>().Transform(Matrix<float>.Build.Dense(2, 2));

        transform.Should().Throw<InvalidOperationException>().WithMessage("MinMaxScaler has not been fitted: call Fit on the training features first.");
    }

    [Fact]
    public void Transform_AnotherFeatureCount_Throws()
    {
        var scaler = new StandardScaler<double>();
        scaler.Fit(Training);

        Action transform = () => scaler.Transform(Matrix<double>.Build.Dense(3, 1));

        transform.Should().Throw<ArgumentException>().WithMessage("StandardScaler: fitted on 2 features but the data has 3*");
    }

    [Fact]
    public void Fit_NonFiniteValues_AreRejected()
    {
        Matrix<double> data = Training.Clone();
        data[0, 2] = double.NaN;

        Action fit = () => new StandardScaler<double>().Fit(data);

        fit.Should().Throw<ArgumentException>().WithMessage("StandardScaler: feature 0 of sample 2 is NaN*");
    }
}
