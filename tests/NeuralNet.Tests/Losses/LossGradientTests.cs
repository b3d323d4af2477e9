using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Diagnostics;
using NeuralNet.Losses;

namespace NeuralNet.Tests.Losses;

/// <summary>Finite-difference checks (<see cref="GradientCheck"/>) of each loss's gradient with respect to the network output.</summary>
public sealed class LossGradientTests
{
    [Fact]
    public void CrossEntropy_WithLabels_PassesTheGradientCheck()
    {
        var random = new Random(3);
        Matrix<double> z = RandomValues.NormalMatrix(4, 5, random, scale: 2);
        int[] labels = [0, 3, 1, 1, 2];

        GradientCheckReport report = GradientCheck.Loss(new CrossEntropyLoss<double>(), z, labels);

        report.Passed.Should().BeTrue(report.ToString());
        report.EntriesChecked.Should().Be(20);
    }

    [Fact]
    public void CrossEntropy_WithProbabilityTargets_PassesTheGradientCheck()
    {
        var random = new Random(4);
        Matrix<double> z = RandomValues.NormalMatrix(3, 4, random, scale: 2);
        Matrix<double> t = Matrix<double>.Build.DenseOfColumnArrays([0.2, 0.3, 0.5], [1, 0, 0], [0, 0.9, 0.1], [0.25, 0.25, 0.5]);

        GradientCheckReport report = GradientCheck.LossWithTargets(new CrossEntropyLoss<double>(), z, t);

        report.Passed.Should().BeTrue(report.ToString());
        report.EntriesChecked.Should().Be(12);
    }

    [Fact]
    public void MeanSquaredError_PassesTheGradientCheck()
    {
        var random = new Random(6);
        var loss = new MeanSquaredErrorLoss<double>();
        Matrix<double> y = RandomValues.NormalMatrix(2, 5, random);
        Matrix<double> t = RandomValues.NormalMatrix(2, 5, random);

        double value = loss.Compute(y, t, null);
        GradientCheckReport report = GradientCheck.LossWithTargets(loss, y, t);

        value.Should().BeApproximately((y - t).PointwisePower(2).Enumerate().Sum() / 10, 1e-14);
        report.Passed.Should().BeTrue(report.ToString());
        report.EntriesChecked.Should().Be(10);
    }

    [Fact]
    public void CrossEntropy_WithTargetsThatDoNotSumToOne_PassesTheGradientCheck()
    {
        Matrix<double> z = Matrix<double>.Build.DenseOfColumnArrays([0.3, -0.8, 1.1], [2.0, 0.1, -0.4]);
        Matrix<double> t = Matrix<double>.Build.DenseOfColumnArrays([0.5, 0.5, 0.5], [0.0, 2.0, 0.25]);

        GradientCheckReport report = GradientCheck.LossWithTargets(new CrossEntropyLoss<double>(), z, t);

        report.Passed.Should().BeTrue(report.ToString());
    }
}
