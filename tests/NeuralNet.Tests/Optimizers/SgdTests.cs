using NeuralNet.Optimizers;

namespace NeuralNet.Tests.Optimizers;

/// <summary>
/// SGD on the toy loss <c>L(θ) = θ²</c> (gradient <c>2θ</c>) with η = 0.1, starting from θ = 1 and θ = −2;
/// the expected numbers are worked out by hand in the comments.
/// </summary>
public sealed class SgdTests
{
    [Fact]
    public void Step_ThreeStepsWithMomentum_FollowTheSourceTextRule()
    {
        // Δθ ← αΔθ − ηg, θ ← θ + Δθ with α = 0.9:
        // θ=1: g=2,    Δ=−0.2,   θ=0.8;  g=1.6,  Δ=−0.18−0.16=−0.34,   θ=0.46;  g=0.92, Δ=−0.306−0.092=−0.398, θ=0.062
        double[] trajectory = Run(new Sgd<double>(0.1, momentum: 0.9), 1.0, -2.0);

        trajectory.Should().HaveCount(6);
        Expect(trajectory, [0.8, -1.6, 0.46, -0.92, 0.062, -0.124]);
    }

    [Fact]
    public void Step_ZeroMomentum_IsPlainSgd()
    {
        // θ ← θ − ηg = 0.8θ each step: 1 → 0.8 → 0.64 → 0.512
        Expect(Run(new Sgd<double>(0.1, momentum: 0), 1.0, -2.0), [0.8, -1.6, 0.64, -1.28, 0.512, -1.024]);
    }

    [Fact]
    public void Nesterov_LooksAheadAlongTheNewVelocity()
    {
        // Δθ ← αΔθ − ηg, θ ← θ + αΔθ − ηg:
        // θ=1: g=2, Δ=−0.2, θ=1−0.18−0.2=0.62; g=1.24, Δ=−0.18−0.124=−0.304, θ=0.62−0.2736−0.124=0.2224;
        // g=0.4448, Δ=−0.2736−0.04448=−0.31808, θ=0.2224−0.286272−0.04448=−0.108352
        double[] nesterov = Run(new Sgd<double>(0.1, momentum: 0.9, nesterov: true), 1.0, -2.0);

        Expect(nesterov, [0.62, -1.24, 0.2224, -0.4448, -0.108352, 0.216704]);
        nesterov.Should().NotEqual(Run(new Sgd<double>(0.1, momentum: 0.9), 1.0, -2.0));
    }

    [Fact]
    public void WeightDecay_AddsLambdaThetaToTheGradient()
    {
        // g' = 2θ + 0.5θ = 2.5θ, θ ← θ − 0.1·2.5θ = 0.75θ: 1 → 0.75 → 0.5625 → 0.421875
        double[] decayed = Run(new Sgd<double>(0.1, weightDecay: 0.5), 1.0, -2.0);

        Expect(decayed, [0.75, -1.5, 0.5625, -1.125, 0.421875, -0.84375]);
    }

    [Fact]
    public void LearningRate_CanChangeBetweenSteps()
    {
        var sgd = new Sgd<double>(0.1);
        var parameter = new Parameter<double>("θ", 1, 1);
        parameter.ValueSpan[0] = 1;
        parameter.GradientSpan[0] = 2;
        sgd.LearningRate = 0.25;
        sgd.Step([parameter]);
        parameter.ValueSpan[0].Should().Be(0.5);
    }

    [Theory]
    [InlineData(-0.1, 0.0, 0.0)]
    [InlineData(double.NaN, 0.0, 0.0)]
    [InlineData(double.PositiveInfinity, 0.0, 0.0)]
    [InlineData(0.1, 1.0, 0.0)]
    [InlineData(0.1, -0.1, 0.0)]
    [InlineData(0.1, double.NaN, 0.0)]
    [InlineData(0.1, 0.5, -1.0)]
    [InlineData(0.1, 0.5, double.NaN)]
    public void Constructor_InvalidHyperParameters_AreRefusedWithTheValue(double learningRate, double momentum, double weightDecay)
    {
        Action act = () => _ = new Sgd<float>(learningRate, momentum, weightDecay: weightDecay);

        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*Sgd*");
    }

    [Fact]
    public void Nesterov_WithoutMomentum_IsRefused()
    {
        Action act = () => _ = new Sgd<float>(0.1, momentum: 0, nesterov: true);
        act.Should().Throw<ArgumentException>().WithMessage("*Nesterov*momentum*");
    }

    [Fact]
    public void SetState_OfASavedState_ContinuesIdentically()
    {
        var first = new Sgd<double>(0.1, momentum: 0.9);
        var parameter = new Parameter<double>("θ", 1, 1);
        parameter.ValueSpan[0] = 1;
        parameter.GradientSpan[0] = 2;
        first.Step([parameter]);

        var second = new Sgd<double>(0.1, momentum: 0.9);
        var twin = new Parameter<double>("θ", 1, 1);
        second.SetState([twin], first.GetState([parameter]));
        twin.ValueSpan[0] = parameter.ValueSpan[0];
        parameter.GradientSpan[0] = twin.GradientSpan[0] = 1.6;
        first.Step([parameter]);
        second.Step([twin]);

        twin.ValueSpan[0].Should().Be(parameter.ValueSpan[0]).And.BeApproximately(0.46, 1e-12);
    }

    /// <summary>Three steps on L = θ² for two scalar parameters; returns θ after each step, flattened.</summary>
    private static double[] Run(IOptimizer<double> optimizer, double first, double second)
    {
        var a = new Parameter<double>("a", 1, 1);
        var b = new Parameter<double>("b", 1, 1);
        a.ValueSpan[0] = first;
        b.ValueSpan[0] = second;
        var trajectory = new List<double>();
        for (int step = 0; step < 3; step++)
        {
            a.GradientSpan[0] = 2 * a.ValueSpan[0];
            b.GradientSpan[0] = 2 * b.ValueSpan[0];
            optimizer.Step([a, b]);
            trajectory.Add(a.ValueSpan[0]);
            trajectory.Add(b.ValueSpan[0]);
        }

        return [.. trajectory];
    }

    private static void Expect(double[] actual, double[] expected)
    {
        actual.Should().HaveSameCount(expected);
        for (int i = 0; i < expected.Length; i++)
        {
            actual[i].Should().BeApproximately(expected[i], 1e-12, $"value {i}");
        }
    }
}
