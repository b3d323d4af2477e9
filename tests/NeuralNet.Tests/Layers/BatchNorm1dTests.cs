using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Diagnostics;
using NeuralNet.Layers;

namespace NeuralNet.Tests.Layers;

public sealed class BatchNorm1dTests
{
    private const int Features = 4;
    private const int Batch = 6;

    [Fact]
    public void GradientCheck_OfInputGammaAndBeta_Passes()
    {
        // Training mode with a random upstream gradient (so Σ_j G ≠ 0 and the mean-subtraction terms are exercised);
        // GradientCheck holds the running statistics fixed. Features are offset from each other and γ is away from 1.
        var layer = new BatchNorm1d<double>(Features);
        RandomValues.Uniform(Features, 22).Select(v => 1 + v).ToArray().CopyTo(layer.Parameters[0].ValueSpan);
        RandomValues.Uniform(Features, 23).CopyTo(layer.Parameters[1].ValueSpan);
        Matrix<double> x = Matrix<double>.Build.Dense(
            Features, Batch, RandomValues.Uniform(Features * Batch, 21).Select((v, i) => (3 * v) + (i % Features)).ToArray());
        double[] runningMean = layer.RunningMean.ToArray();

        // 1e-8·max(|n|, 1) is stricter than both the old rule here (1e-7·max(1, |a|, |n|)) and the helper's default.
        GradientCheckReport report = GradientCheck.Layer(layer, x, new GradientCheckOptions { RelativeTolerance = 1e-8, Floor = 1 });

        report.Passed.Should().BeTrue(report.ToString());
        report.Tensors.Should().Equal("input", "weight", "bias");
        layer.RunningMean.ToArray().Should().Equal(runningMean, "the check puts the running statistics back");
    }

    [Fact]
    public void Forward_InTraining_HasZeroMeanAndUnitVariancePerFeature()
    {
        var layer = new BatchNorm1d<double>(Features, epsilon: 1e-12);
        double[] x = RandomValues.Uniform(Features * Batch, 5).Select((v, i) => (10 * v) + (5 * (i % Features))).ToArray();
        Matrix<double> y = layer.Forward(Matrix<double>.Build.Dense(Features, Batch, x));
        for (int i = 0; i < Features; i++)
        {
            double[] row = y.Row(i).ToArray();
            row.Average().Should().BeApproximately(0, 1e-12);
            row.Average(v => v * v).Should().BeApproximately(1, 1e-9);
        }
    }

    [Fact]
    public void RunningStatistics_FollowTheMomentumWithTheUnbiasedVariance()
    {
        // Feature 0 of the batch: 1, 2, 3, 4, 5, 6 → μ = 3.5, unbiased variance 3.5.
        var layer = new BatchNorm1d<double>(1, momentum: 0.25);
        Matrix<double> x = Matrix<double>.Build.Dense(1, 6, [1, 2, 3, 4, 5, 6]);
        layer.Forward(x);
        layer.RunningMean[0].Should().BeApproximately(0.25 * 3.5, 1e-15);
        layer.RunningVariance[0].Should().BeApproximately((0.75 * 1) + (0.25 * 3.5), 1e-15);
        layer.Forward(x);
        layer.RunningMean[0].Should().BeApproximately((0.75 * 0.875) + (0.25 * 3.5), 1e-15);
    }

    [Fact]
    public void Momentum_ChangesTheRunningStatistics()
    {
        var slow = new BatchNorm1d<double>(1, momentum: 0.1);
        var fast = new BatchNorm1d<double>(1, momentum: 0.9);
        Matrix<double> x = Matrix<double>.Build.Dense(1, 4, [2, 4, 6, 8]);
        slow.Forward(x);
        fast.Forward(x);
        slow.RunningMean[0].Should().BeApproximately(0.5, 1e-15);
        fast.RunningMean[0].Should().BeApproximately(4.5, 1e-15);
    }

    [Fact]
    public void Epsilon_ChangesTheNormalization()
    {
        Matrix<double> x = Matrix<double>.Build.Dense(1, 2, [0, 0.02]); // batch variance 1e-4
        double small = new BatchNorm1d<double>(1, epsilon: 1e-8).Forward(x)[0, 1];
        double large = new BatchNorm1d<double>(1, epsilon: 1e-2).Forward(x)[0, 1];
        small.Should().BeApproximately(0.01 / Math.Sqrt(1e-4 + 1e-8), 1e-12);
        large.Should().BeApproximately(0.01 / Math.Sqrt(1e-4 + 1e-2), 1e-12);
    }

    [Fact]
    public void Predict_UsesTheRunningStatisticsAndChangesNothing()
    {
        var layer = new BatchNorm1d<double>(1, momentum: 0.5, epsilon: 1e-5);
        layer.Parameters[0].ValueSpan[0] = 2;   // γ
        layer.Parameters[1].ValueSpan[0] = 0.5; // β
        layer.Forward(Matrix<double>.Build.Dense(1, 3, [1, 3, 5])); // μ = 3, unbiased σ² = 4 → μ̄ = 1.5, σ̄² = 2.5

        Matrix<double> x = Matrix<double>.Build.Dense(1, 2, [1.5, 4]);
        var first = Matrix<double>.Build.Dense(1, 2);
        var second = Matrix<double>.Build.Dense(1, 2);
        layer.Predict(x, first);
        layer.Predict(x, second);

        first[0, 0].Should().BeApproximately(0.5, 1e-12);
        first[0, 1].Should().BeApproximately((2 * (4 - 1.5) / Math.Sqrt(2.5 + 1e-5)) + 0.5, 1e-12);
        second.Should().Be(first);
        layer.RunningMean[0].Should().Be(1.5);
        layer.RunningVariance[0].Should().BeApproximately(2.5, 1e-15);
    }

    [Fact]
    public void Predict_OfOneSample_DoesNotDependOnTheRestOfTheBatch()
    {
        var layer = new BatchNorm1d<double>(2);
        layer.Forward(Matrix<double>.Build.Dense(2, 3, [1, 2, 3, 4, 5, 7]));
        var alone = Matrix<double>.Build.Dense(2, 1);
        var together = Matrix<double>.Build.Dense(2, 2);
        layer.Predict(Matrix<double>.Build.Dense(2, 1, [0.3, -0.2]), alone);
        layer.Predict(Matrix<double>.Build.Dense(2, 2, [0.3, -0.2, 9, 9]), together);
        together.Column(0).Should().Equal(alone.Column(0));
    }

    [Fact]
    public void Forward_SingleSampleBatch_IsRejected()
    {
        FluentActions.Invoking(() => new BatchNorm1d<float>(3).Forward(Matrix<float>.Build.Dense(3, 1)))
            .Should().Throw<ArgumentException>().WithMessage("BatchNorm1d(3)*at least 2 samples*3 × 1*");
    }

    [Theory]
    [InlineData(0.0, 1e-5, "momentum")]
    [InlineData(1.5, 1e-5, "momentum")]
    [InlineData(double.NaN, 1e-5, "momentum")]
    [InlineData(0.1, 0.0, "epsilon")]
    [InlineData(0.1, -1.0, "epsilon")]
    public void Constructor_BadSettings_AreRejected(double momentum, double epsilon, string name)
    {
        FluentActions.Invoking(() => new BatchNorm1d<double>(4, momentum, epsilon))
            .Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == name);
    }

    [Fact]
    public void ForwardAndBackward_WrongShapes_AreRejectedNamingBothShapes()
    {
        var layer = new BatchNorm1d<double>(4);
        FluentActions.Invoking(() => layer.Forward(Matrix<double>.Build.Dense(3, 5))).Should().Throw<ArgumentException>().WithMessage("*4*3 × 5*");
        layer.Forward(Matrix<double>.Build.Dense(4, 5, RandomValues.Uniform(20, 1)));
        FluentActions.Invoking(() => layer.Backward(Matrix<double>.Build.Dense(4, 4))).Should().Throw<ArgumentException>().WithMessage("*4 × 5*4 × 4*");
    }

    [Fact]
    public void NewLayer_PrintsItsSizeAndStartsAsTheIdentityNormalization()
    {
        var layer = new BatchNorm1d<float>(128);
        layer.ToString().Should().Be("BatchNorm1d(128, 256 parameters)");
        layer.Parameters.Select(p => p.Name).Should().Equal("weight", "bias");
        layer.Parameters[0].ValueSpan.ToArray().Should().OnlyContain(v => v == 1);
        layer.RunningVariance.ToArray().Should().OnlyContain(v => v == 1);
    }
}
