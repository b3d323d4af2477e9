using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Losses;
using NeuralNet.Tests.GradientChecking;

namespace NeuralNet.Tests.Losses;

/// <summary>Finite-difference checks of each loss's gradient with respect to the network output.</summary>
public sealed class LossGradientTests
{
    [Fact]
    public void CrossEntropyWithLabels()
    {
        var random = new Random(3);
        var loss = new CrossEntropyLoss<double>();
        Matrix<double> z = FiniteDifference.RandomMatrix(4, 5, random, scale: 2);
        int[] labels = [0, 3, 1, 1, 2];
        var gradient = Matrix<double>.Build.Dense(4, 5);

        loss.Compute(z, labels, gradient);

        double[] numeric = FiniteDifference.Gradient(z.AsColumnMajorArray(), () => loss.Compute(z, labels, null));
        FiniteDifference.ShouldMatch(gradient.ToColumnMajorArray(), numeric, "CrossEntropy(labels) ∂L/∂z");
    }

    [Fact]
    public void CrossEntropyWithProbabilityTargets()
    {
        var random = new Random(4);
        var loss = new CrossEntropyLoss<double>();
        Matrix<double> z = FiniteDifference.RandomMatrix(3, 4, random, scale: 2);
        Matrix<double> t = Matrix<double>.Build.DenseOfColumnArrays([0.2, 0.3, 0.5], [1, 0, 0], [0, 0.9, 0.1], [0.25, 0.25, 0.5]);
        var gradient = Matrix<double>.Build.Dense(3, 4);

        loss.Compute(z, t, gradient);

        double[] numeric = FiniteDifference.Gradient(z.AsColumnMajorArray(), () => loss.Compute(z, t, null));
        FiniteDifference.ShouldMatch(gradient.ToColumnMajorArray(), numeric, "CrossEntropy(targets) ∂L/∂z");
    }

    [Fact]
    public void MeanSquaredError()
    {
        var random = new Random(6);
        var loss = new MeanSquaredErrorLoss<double>();
        Matrix<double> y = FiniteDifference.RandomMatrix(2, 5, random);
        Matrix<double> t = FiniteDifference.RandomMatrix(2, 5, random);
        var gradient = Matrix<double>.Build.Dense(2, 5);

        double value = loss.Compute(y, t, gradient);

        value.Should().BeApproximately((y - t).PointwisePower(2).Enumerate().Sum() / 10, 1e-14);
        double[] numeric = FiniteDifference.Gradient(y.AsColumnMajorArray(), () => loss.Compute(y, t, null));
        FiniteDifference.ShouldMatch(gradient.ToColumnMajorArray(), numeric, "MSE ∂L/∂y");
    }
}
