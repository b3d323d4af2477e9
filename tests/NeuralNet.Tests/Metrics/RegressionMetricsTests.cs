using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Metrics;

namespace NeuralNet.Tests.Metrics;

public sealed class RegressionMetricsTests
{
    // y = [3, −0.5, 2, 7], ŷ = [2.5, 0, 2, 8]: errors [−0.5, 0.5, 0, 1].
    private static readonly double[] Actual = [3, -0.5, 2, 7];
    private static readonly double[] Predicted = [2.5, 0, 2, 8];

    [Fact]
    public void MeanSquaredError_MatchesHandComputation()
    {
        Regression.MeanSquaredError(Actual, Predicted).Should().Be(1.5 / 4); // (0.25 + 0.25 + 0 + 1) / 4
    }

    [Fact]
    public void MeanAbsoluteError_MatchesHandComputation()
    {
        Regression.MeanAbsoluteError(Actual, Predicted).Should().Be(0.5); // (0.5 + 0.5 + 0 + 1) / 4
    }

    [Fact]
    public void RSquared_MatchesHandComputation()
    {
        // ȳ = 2.875; Σ(y − ȳ)² = 0.015625 + 11.390625 + 0.765625 + 17.015625 = 29.1875; Σ(y − ŷ)² = 1.5.
        Regression.RSquared(Actual, Predicted).Should().BeApproximately(1 - (1.5 / 29.1875), 1e-15);
    }

    [Fact]
    public void RSquared_IsOneForPerfectAndZeroForMeanPredictions()
    {
        Regression.RSquared(Actual, Actual).Should().Be(1);
        Regression.RSquared(Actual, [2.875, 2.875, 2.875, 2.875]).Should().Be(0);
    }

    [Fact]
    public void RSquared_OfConstantTargets_IsUndefinedAndRejected()
    {
        Action score = () => Regression.RSquared([4.0, 4.0], [4.0, 5.0]);

        score.Should().Throw<ArgumentException>().WithMessage("R² is undefined: all 2 actual values equal 4*");
    }

    [Fact]
    public void MatrixOverloads_AgreeWithSpanOverloads()
    {
        Matrix<float> actual = Matrix<float>.Build.DenseOfRowArrays([3f, -0.5f, 2f, 7f]);
        Matrix<float> predicted = Matrix<float>.Build.DenseOfRowArrays([2.5f, 0f, 2f, 8f]);

        Regression.MeanSquaredError(actual, predicted).Should().Be(0.375);
        Regression.MeanAbsoluteError(actual, predicted).Should().Be(0.5);
        Regression.RSquared(actual, predicted).Should().BeApproximately(1 - (1.5 / 29.1875), 1e-15);
    }

    [Fact]
    public void RSquared_OfMatrices_AveragesOverOutputs()
    {
        // Output 0 predicted perfectly (R² = 1), output 1 by its mean (R² = 0).
        Matrix<double> actual = Matrix<double>.Build.DenseOfRowArrays([1.0, 2, 3], [4.0, 6, 8]);
        Matrix<double> predicted = Matrix<double>.Build.DenseOfRowArrays([1.0, 2, 3], [6.0, 6, 6]);

        Regression.RSquared(actual, predicted).Should().Be(0.5);
    }

    [Fact]
    public void Metrics_ShapesThatDiffer_AreRejected()
    {
        Action score = () => Regression.MeanSquaredError(Matrix<double>.Build.Dense(1, 3), Matrix<double>.Build.Dense(1, 4));

        score.Should().Throw<ArgumentException>().WithMessage("*1 × 3 and 1 × 4*");
    }
}
