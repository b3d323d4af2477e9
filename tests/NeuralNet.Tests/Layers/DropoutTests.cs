using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Diagnostics;
using NeuralNet.Layers;
using NeuralNet.Losses;

namespace NeuralNet.Tests.Layers;

public sealed class DropoutTests
{
    private const int Seed = 1234;

    /// <summary>
    /// At least as strict as both the old rule here (|a − n| ≤ 1e-8·max(1, |a|, |n|)) and the helper's default
    /// (1e-6·max(|n|, 1e-2)). The objectives are linear or quadratic, where central differences are exact up to rounding.
    /// </summary>
    private static readonly GradientCheckOptions Strict = new() { RelativeTolerance = 1e-8, Floor = 1 };

    [Fact]
    public void GradientCheck_WithAFixedMask_Passes()
    {
        // GradientCheck restores the generator before every forward pass, so each evaluation draws the same mask.
        const int rows = 6, columns = 5;
        var dropout = new Dropout<double>(0.4, Seed);
        Matrix<double> x = Matrix<double>.Build.Dense(rows, columns, RandomValues.Uniform(rows * columns, 1));
        ulong[] generator = dropout.Buffers.Single().Words.ToArray();

        GradientCheckReport report = GradientCheck.Layer(dropout, x, Strict);

        report.Passed.Should().BeTrue(report.ToString());
        report.Tensors.Should().Equal("input");
        dropout.Buffers.Single().Words.ToArray().Should().Equal(generator, "the check leaves the generator where it found it");
        dropout.Forward(x).Enumerate().Count(v => v == 0)
            .Should().BeInRange(1, (rows * columns) - 1, "the mask the check used drops some units and keeps others");
    }

    [Fact]
    public void GradientCheck_OfANetworkThroughDropout_Passes()
    {
        // Linear(4 → 6) → Dropout(0.5) → Linear(6 → 3) under a mean squared error; every gradient, the first layer's
        // weights included, must use the mask of the forward pass.
        Matrix<double> input = Matrix<double>.Build.Dense(4, 5, RandomValues.Uniform(20, 4));
        Matrix<double> targets = Matrix<double>.Build.Dense(3, 5, RandomValues.Uniform(3 * 5, 3));
        var network = new Network<double>(
            new Linear<double>(Matrix<double>.Build.Dense(6, 4, RandomValues.Uniform(24, 5)), Vector<double>.Build.Dense(6, 0.1)),
            new Dropout<double>(0.5, Seed),
            new Linear<double>(Matrix<double>.Build.Dense(3, 6, RandomValues.Uniform(18, 6)), Vector<double>.Build.Dense(3, -0.2)));

        GradientCheckReport report = GradientCheck.NetworkWithTargets(network, new MeanSquaredErrorLoss<double>(), input, targets, Strict);

        report.Passed.Should().BeTrue(report.ToString());
        report.Tensors.Should().Equal("input", "layer 0 weight", "layer 0 bias", "layer 2 weight", "layer 2 bias");
    }

    [Theory]
    [InlineData(0.1)]
    [InlineData(0.5)]
    [InlineData(0.8)]
    public void Forward_KeepsAFractionOfOneMinusPScaledByItsInverse(double p)
    {
        var dropout = new Dropout<float>(p, Seed);
        Matrix<float> ones = Matrix<float>.Build.Dense(500, 200, 1f);
        float[] output = dropout.Forward(ones).ToColumnMajorArray();

        int kept = output.Count(v => v != 0);
        double fraction = kept / (double)output.Length;

        // 100,000 Bernoulli draws: standard deviation √(p(1 − p)/n) ≤ 0.0016, so ±0.01 is over 6σ.
        fraction.Should().BeApproximately(1 - p, 0.01);
        output.Where(v => v != 0).Should().OnlyContain(v => v == (float)(1 / (1 - p)));
        output.Average(v => (double)v).Should().BeApproximately(1, 0.05, "inverted dropout keeps the expectation");
    }

    [Fact]
    public void Predict_IsDeterministicAndUnscaled()
    {
        var dropout = new Dropout<double>(0.5, Seed);
        Matrix<double> x = Matrix<double>.Build.Dense(7, 3, RandomValues.Uniform(21, 7));
        dropout.Forward(x);
        Matrix<double> first = Matrix<double>.Build.Dense(7, 3);
        Matrix<double> second = Matrix<double>.Build.Dense(7, 3);
        dropout.Predict(x, first);
        dropout.Forward(x);
        dropout.Predict(x, second);

        first.Should().Be(x);
        second.Should().Be(x);
    }

    [Fact]
    public void Predict_OfANetworkWithDropout_EqualsTheNetworkWithoutIt()
    {
        var random = new Random(3);
        var linear = new Linear<double>(4, 3, random);
        var withDropout = new Network<double>(linear, new Dropout<double>(0.5, Seed));
        var without = new Network<double>(linear);
        Matrix<double> x = Matrix<double>.Build.Dense(4, 6, RandomValues.Uniform(24, 8));

        withDropout.Predict(x).Should().Be(without.Predict(x));
        withDropout.Predict(x).Should().Be(withDropout.Predict(x));
    }

    [Fact]
    public void Forward_SameSeed_GivesTheSameMasksCallForCallAndANewMaskEachCall()
    {
        var a = new Dropout<float>(0.5, Seed);
        var b = new Dropout<float>(0.5, new Random(Seed));
        var other = new Dropout<float>(0.5, Seed + 1);
        Matrix<float> ones = Matrix<float>.Build.Dense(20, 10, 1f);

        float[] a1 = a.Forward(ones).ToColumnMajorArray();
        float[] a2 = a.Forward(ones).ToColumnMajorArray();
        float[] b1 = b.Forward(ones).ToColumnMajorArray();
        float[] b2 = b.Forward(ones).ToColumnMajorArray();
        float[] c1 = other.Forward(ones).ToColumnMajorArray();

        b1.Should().Equal(a1);
        b2.Should().Equal(a2);
        a2.Should().NotEqual(a1);
        c1.Should().NotEqual(a1);
    }

    [Fact]
    public void ForwardAndBackward_ZeroProbability_AreTheIdentity()
    {
        var dropout = new Dropout<double>(0, Seed);
        Matrix<double> x = Matrix<double>.Build.Dense(5, 4, RandomValues.Uniform(20, 9));
        dropout.Forward(x).Should().Be(x);
        Matrix<double> g = Matrix<double>.Build.Dense(5, 4, RandomValues.Uniform(20, 10));
        dropout.Backward(g).Should().Be(g);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.0)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void Constructor_ProbabilityOutsideZeroToOne_IsRejected(double p)
    {
        FluentActions.Invoking(() => new Dropout<float>(p, Seed)).Should().Throw<ArgumentOutOfRangeException>()
            .Where(e => e.ParamName == "probability" && e.Message.Contains("[0, 1)", StringComparison.Ordinal));
    }

    [Fact]
    public void Backward_NeedsAForwardPassAndTheMatchingShape()
    {
        var dropout = new Dropout<double>(0.5, Seed);
        FluentActions.Invoking(() => dropout.Backward(Matrix<double>.Build.Dense(2, 2))).Should().Throw<InvalidOperationException>()
            .WithMessage("Dropout*Backward*before Forward*");
        dropout.Forward(Matrix<double>.Build.Dense(3, 2, 1.0));
        FluentActions.Invoking(() => dropout.Backward(Matrix<double>.Build.Dense(2, 2))).Should().Throw<ArgumentException>()
            .WithMessage("*3 × 2*2 × 2*");
    }

    [Fact]
    public void NewLayer_ShowsItsProbabilityAndHasNoParameters()
    {
        var dropout = new Dropout<float>(0.25, Seed);
        dropout.ToString().Should().Be("Dropout(p = 0.25)");
        dropout.Parameters.Should().BeEmpty();
        dropout.GetOutputShape(Shape.Of(3, 17)).Should().Be(Shape.Of(3, 17));
    }
}
