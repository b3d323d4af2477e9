using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Diagnostics;
using NeuralNet.Losses;

namespace NeuralNet.Tests.Losses;

/// <summary>L1, Huber and smooth L1 (PyTorch's definitions) against hand-computed values and finite differences.</summary>
public sealed class RegressionLossTests
{
    // Two samples of two outputs; the differences ŷ − y are 0.5, 0 (sample 0) and −2, 2 (sample 1).
    private static readonly Matrix<double> Output = Matrix<double>.Build.DenseOfColumnArrays([1.5, 0.0], [-2.0, 3.0]);
    private static readonly Matrix<double> Targets = Matrix<double>.Build.DenseOfColumnArrays([1.0, 0.0], [0.0, 1.0]);

    [Fact]
    public void L1_HandComputedBatch_MatchesMeanSumAndPerSample()
    {
        // |d| = 0.5, 0, 2, 2: sum 4.5 over 4 elements.
        new L1Loss<double>().Compute(Output, Targets, null).Should().Be(1.125);
        new L1Loss<double>(Reduction.Sum).Compute(Output, Targets, null).Should().Be(4.5);
        PerSample(new L1Loss<double>(Reduction.None)).Should().Equal(0.5, 4.0);
    }

    [Fact]
    public void SmoothL1_BetaOne_MatchesHandComputedValues()
    {
        // 0.5 d²/β inside |d| < β, |d| − β/2 outside: 0.125, 0, 1.5, 1.5.
        new SmoothL1Loss<double>().Compute(Output, Targets, null).Should().Be(3.125 / 4);
        PerSample(new SmoothL1Loss<double>()).Should().Equal(0.125, 3.0);
    }

    [Fact]
    public void SmoothL1_BetaTwo_MatchesHandComputedValues()
    {
        // β = 2: 0.5·0.25/2 = 0.0625, 0, and |d| = 2 is not inside (|d| < β is strict): 2 − 1 = 1 twice.
        new SmoothL1Loss<double>(beta: 2, reduction: Reduction.Sum).Compute(Output, Targets, null).Should().Be(2.0625);
    }

    [Fact]
    public void SmoothL1_BetaZero_EqualsL1()
    {
        var gradient = Matrix<double>.Build.Dense(2, 2);
        var l1Gradient = Matrix<double>.Build.Dense(2, 2);

        new SmoothL1Loss<double>(beta: 0).Compute(Output, Targets, gradient).Should().Be(new L1Loss<double>().Compute(Output, Targets, l1Gradient));
        gradient.Should().Be(l1Gradient);
    }

    [Fact]
    public void Huber_DeltaTwo_MatchesHandComputedValues()
    {
        // 0.5 d² inside |d| < δ, δ(|d| − δ/2) outside: 0.125, 0, 2·(2 − 1) = 2 twice.
        new HuberLoss<double>(delta: 2).Compute(Output, Targets, null).Should().Be(4.125 / 4);
        PerSample(new HuberLoss<double>(delta: 2)).Should().Equal(0.125, 4.0);
    }

    [Theory]
    [InlineData(0.3)]
    [InlineData(1.0)]
    [InlineData(2.5)]
    public void Huber_AnyDelta_IsDeltaTimesSmoothL1WithBetaDelta(double delta)
    {
        var random = new Random(5);
        Matrix<double> y = RandomValues.NormalMatrix(3, 6, random, scale: 2);
        Matrix<double> t = RandomValues.NormalMatrix(3, 6, random);
        var huberGradient = Matrix<double>.Build.Dense(3, 6);
        var smoothGradient = Matrix<double>.Build.Dense(3, 6);

        double huber = new HuberLoss<double>(delta).Compute(y, t, huberGradient);
        double smooth = new SmoothL1Loss<double>(beta: delta).Compute(y, t, smoothGradient);

        huber.Should().BeApproximately(delta * smooth, 1e-14);
        (huberGradient - (delta * smoothGradient)).FrobeniusNorm().Should().BeLessThan(1e-14);
    }

    [Fact]
    public void L1_AtZeroDifference_HasZeroGradientLikePyTorch()
    {
        var gradient = Matrix<double>.Build.Dense(2, 2);
        new L1Loss<double>(Reduction.Sum).Compute(Output, Targets, gradient);
        gradient.ToColumnMajorArray().Should().Equal(1.0, 0.0, -1.0, 1.0);
    }

    [Theory]
    [InlineData("L1")]
    [InlineData("Huber")]
    [InlineData("SmoothL1")]
    [InlineData("SmoothL1Beta0.5")]
    public void RegressionLoss_MeanAndSum_PassTheGradientCheck(string kind)
    {
        var random = new Random(8);
        Matrix<double> y = RandomValues.NormalMatrix(3, 5, random, scale: 2);
        Matrix<double> t = RandomValues.NormalMatrix(3, 5, random);
        foreach (Reduction reduction in new[] { Reduction.Mean, Reduction.Sum })
        {
            ILoss<double> loss = kind switch
            {
                "L1" => new L1Loss<double>(reduction),
                "Huber" => new HuberLoss<double>(1.3, reduction),
                "SmoothL1" => new SmoothL1Loss<double>(reduction: reduction),
                _ => new SmoothL1Loss<double>(0.5, reduction),
            };

            GradientCheckReport report = GradientCheck.LossWithTargets(loss, y, t);

            report.Passed.Should().BeTrue(report.ToString());
            report.EntriesChecked.Should().Be(15);
        }
    }

    [Fact]
    public void Huber_NonPositiveDelta_IsRefused()
    {
        ((Action)(() => _ = new HuberLoss<double>(0))).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*delta must be finite and positive*");
        ((Action)(() => _ = new HuberLoss<double>(double.NaN))).Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void SmoothL1_NegativeBeta_IsRefused()
    {
        Action act = () => _ = new SmoothL1Loss<double>(-1);
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*beta must be finite and non-negative*");
    }

    [Fact]
    public void L1_TargetsOfAnotherShape_AreRefusedNamingTheShapes()
    {
        Action act = () => new L1Loss<double>().Compute(Output, Matrix<double>.Build.Dense(2, 3), null);
        act.Should().Throw<ArgumentException>().WithMessage("*L1*2 × 2*2 × 3*");
    }

    [Fact]
    public void Huber_ClassLabels_AreRefused()
    {
        Action act = () => new HuberLoss<double>().Compute(Output, [0, 1], null);
        act.Should().Throw<NotSupportedException>().WithMessage("Huber needs target values*");
    }

    private static double[] PerSample(ILoss<double> loss)
    {
        var losses = new double[2];
        loss.ComputePerSample(Output, Targets, losses);
        return losses;
    }
}

