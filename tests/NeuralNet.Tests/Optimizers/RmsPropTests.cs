using System.Numerics;
using NeuralNet.Optimizers;
using static NeuralNet.Tests.Optimizers.QuadraticProblem;

namespace NeuralNet.Tests.Optimizers;

/// <summary>
/// RMSProp against PyTorch's documented update (torch.optim.RMSprop), on L(θ) = ½ Σ cᵢ (θᵢ − τᵢ)², g = c ⊙ (θ − τ),
/// θ split over a 3 × 1 weight and a 1 × 1 bias.
/// </summary>
public sealed class RmsPropTests
{
    public static TheoryData<double, double, double, double, bool> Settings => new()
    {
        // alpha, epsilon, weight decay, momentum, centered
        { 0.99, 1e-8, 0.0, 0.0, false },
        { 0.9, 1e-8, 0.0, 0.0, false },
        { 0.99, 0.1, 0.0, 0.0, false },
        { 0.99, 1e-8, 0.3, 0.0, false },
        { 0.99, 1e-8, 0.0, 0.9, false },
        { 0.99, 1e-8, 0.0, 0.0, true },
        { 0.9, 1e-6, 0.1, 0.5, true },
    };

    [Theory]
    [MemberData(nameof(Settings))]
    public void Step_ThreeSteps_MatchThePyTorchEquations(double alpha, double epsilon, double weightDecay, double momentum, bool centered)
    {
        Parameter<double>[] parameters = Problem<double>();
        var rmsProp = new RmsProp<double>(0.01, alpha, epsilon, weightDecay, momentum, centered);
        double[][] expected = Reference([0.01, 0.01, 0.01], alpha, epsilon, weightDecay, momentum, centered);
        for (int step = 0; step < 3; step++)
        {
            SetGradients(parameters);
            rmsProp.Step(parameters);
            Flatten(parameters).Should().Equal(expected[step], (a, e) => Math.Abs(a - e) <= 1e-14, $"step {step + 1}");
        }
    }

    [Theory]
    [MemberData(nameof(Settings))]
    public void Options_EachChangesTheResult(double alpha, double epsilon, double weightDecay, double momentum, bool centered)
    {
        double[] defaults = Run(new RmsProp<double>(0.01));
        double[] withOption = Run(new RmsProp<double>(0.01, alpha, epsilon, weightDecay, momentum, centered));
        bool isDefault = alpha == 0.99 && epsilon == 1e-8 && weightDecay == 0 && momentum == 0 && !centered;
        double largest = withOption.Zip(defaults, (a, d) => Math.Abs(a - d)).Max();
        if (isDefault)
        {
            largest.Should().Be(0);
        }
        else
        {
            largest.Should().BeGreaterThan(1e-4);
        }
    }

    [Theory]
    [MemberData(nameof(Settings))]
    public void Step_LongParameterWithRandomGradients_MatchesTheEquationsElementForElement(
        double alpha, double epsilon, double weightDecay, double momentum, bool centered)
    {
        // 37 elements: whole SIMD vectors plus a scalar tail, whatever the hardware's vector width.
        const int length = 37;
        var random = new Random(23);
        var parameter = new Parameter<double>("weight", length, 1);
        double[] theta = new double[length];
        double[] v = new double[length];
        double[] gBar = new double[length];
        double[] b = new double[length];
        for (int i = 0; i < length; i++)
        {
            theta[i] = (2 * random.NextDouble()) - 1;
            parameter.ValueSpan[i] = theta[i];
        }

        var rmsProp = new RmsProp<double>(0.01, alpha, epsilon, weightDecay, momentum, centered);
        for (int t = 1; t <= 3; t++)
        {
            for (int i = 0; i < length; i++)
            {
                double gradient = (2 * random.NextDouble()) - 1;
                parameter.GradientSpan[i] = gradient;

                // torch.optim.RMSprop, written out per element.
                double g = gradient + (weightDecay * theta[i]);
                v[i] = (alpha * v[i]) + ((1 - alpha) * g * g);
                double denominatorSquare = v[i];
                if (centered)
                {
                    gBar[i] = (alpha * gBar[i]) + ((1 - alpha) * g);
                    denominatorSquare -= gBar[i] * gBar[i];
                }

                double step = g / (Math.Sqrt(denominatorSquare) + epsilon);
                b[i] = momentum > 0 ? (momentum * b[i]) + step : step;
                theta[i] -= 0.01 * b[i];
            }

            rmsProp.Step([parameter]);
            parameter.ValueSpan.ToArray().Should().Equal(theta, (a, e) => Math.Abs(a - e) <= 1e-14, $"step {t}");
        }
    }

    [Fact]
    public void Step_ThreeStepsInFloat_MatchThePyTorchEquations()
    {
        Parameter<float>[] parameters = Problem<float>();
        var rmsProp = new RmsProp<float>(0.01, momentum: 0.9, centered: true);
        double[][] expected = Reference([0.01, 0.01, 0.01], 0.99, 1e-8, 0, 0.9, true);
        for (int step = 0; step < 3; step++)
        {
            SetGradients(parameters);
            rmsProp.Step(parameters);
            Flatten(parameters).Should().Equal(expected[step], (a, e) => Math.Abs(a - e) <= 2e-6, $"step {step + 1}");
        }
    }

    [Fact]
    public void Step_FirstWithoutOptions_IsGOverRootOfOneMinusAlphaGSquared()
    {
        // v₁ = (1 − α) g² = 0.01 g², so θ₁ = θ₀ − η g / (0.1 |g| + ε) ≈ θ₀ − 10 η sign(g)  (η = 0.01).
        Parameter<double>[] parameters = Problem<double>();
        SetGradients(parameters);
        new RmsProp<double>(learningRate: 0.01).Step(parameters);

        // g = [0.5, −9, 0.75, 0.5]
        Flatten(parameters).Should().Equal(
            [1.0 - (0.005 / (0.05 + 1e-8)), -2.0 + (0.09 / (0.9 + 1e-8)), 0.5 - (0.0075 / (0.075 + 1e-8)), 0.25 - (0.005 / (0.05 + 1e-8))],
            (a, e) => Math.Abs(a - e) <= 1e-15);
        Flatten(parameters)[0].Should().BeApproximately(0.9, 1e-7);
    }

    [Fact]
    public void LearningRate_Changed_RescalesTheWholeMomentumBufferAsInPyTorch()
    {
        // PyTorch: b ← μb + g/(√v + ε); θ ← θ − η_t b. The step-3 rate multiplies the buffer built at steps 1-2,
        // unlike the source text's Δθ ← αΔθ − η·step, where each step keeps its own rate.
        double[] rates = [0.01, 0.01, 0.05];
        Parameter<double>[] parameters = Problem<double>();
        var rmsProp = new RmsProp<double>(0.01, momentum: 0.9);
        for (int step = 0; step < 3; step++)
        {
            rmsProp.LearningRate = rates[step];
            SetGradients(parameters);
            rmsProp.Step(parameters);
        }

        double[] expected = Reference(rates, 0.99, 1e-8, 0, 0.9, false)[2];
        Flatten(parameters).Should().Equal(expected, (a, e) => Math.Abs(a - e) <= 1e-14);
        double[] sourceTextRule = SourceTextMomentum(rates, 0.99, 0.9);
        Flatten(parameters).Zip(sourceTextRule, (a, b) => Math.Abs(a - b)).Max().Should().BeGreaterThan(1e-3);
        double[] constant = SourceTextMomentum([0.01, 0.01, 0.01], 0.99, 0.9);
        constant.Should().Equal(Reference([0.01, 0.01, 0.01], 0.99, 1e-8, 0, 0.9, false)[2], (a, e) => Math.Abs(a - e) <= 1e-14);
    }

    [Theory]
    [InlineData(-0.01, 0.99, 1e-8, 0.0, 0.0, "learningRate")]
    [InlineData(double.NaN, 0.99, 1e-8, 0.0, 0.0, "learningRate")]
    [InlineData(0.01, 1.0, 1e-8, 0.0, 0.0, "alpha")]
    [InlineData(0.01, -0.1, 1e-8, 0.0, 0.0, "alpha")]
    [InlineData(0.01, 0.99, 0.0, 0.0, 0.0, "epsilon")]
    [InlineData(0.01, 0.99, -1.0, 0.0, 0.0, "epsilon")]
    [InlineData(0.01, 0.99, 1e-8, -0.1, 0.0, "weightDecay")]
    [InlineData(0.01, 0.99, 1e-8, 0.0, 1.0, "momentum")]
    [InlineData(0.01, 0.99, 1e-8, 0.0, -0.2, "momentum")]
    [InlineData(0.01, 0.99, 1e-8, 0.0, double.NaN, "momentum")]
    public void Constructor_BadHyperParameters_AreRejectedWithTheirNameAndValue(
        double learningRate, double alpha, double epsilon, double weightDecay, double momentum, string name)
    {
        Action create = () => _ = new RmsProp<double>(learningRate, alpha, epsilon, weightDecay, momentum);
        create.Should().Throw<ArgumentOutOfRangeException>()
            .Where(e => e.ParamName == name && e.Message.Contains("RmsProp", StringComparison.Ordinal));
    }

    [Fact]
    public void SetState_OfASavedState_ContinuesBitForBit()
    {
        Parameter<double>[] parameters = Problem<double>();
        var rmsProp = new RmsProp<double>(0.01, momentum: 0.9, centered: true);
        for (int step = 0; step < 2; step++)
        {
            SetGradients(parameters);
            rmsProp.Step(parameters);
        }

        OptimizerState<double> saved = rmsProp.GetState(parameters);
        double[] savedValues = Flatten(parameters);
        SetGradients(parameters);
        rmsProp.Step(parameters);

        Parameter<double>[] copy = Problem<double>();
        Load(copy, savedValues);
        var resumed = new RmsProp<double>(0.01, momentum: 0.9, centered: true);
        resumed.SetState(copy, saved);
        SetGradients(copy);
        resumed.Step(copy);
        Flatten(copy).Should().Equal(Flatten(parameters));
    }

    private static double[] Run(RmsProp<double> optimizer)
    {
        Parameter<double>[] parameters = Problem<double>();
        for (int step = 0; step < 3; step++)
        {
            SetGradients(parameters);
            optimizer.Step(parameters);
        }

        return Flatten(parameters);
    }

    /// <summary>
    /// Independent scalar transcription of torch.optim.RMSprop, in double, with the rate η_t of each step:
    /// g ← c(θ − τ) + λθ;  v ← αv + (1 − α)g²;  ṽ = v − ḡ² with ḡ ← αḡ + (1 − α)g if centered, else ṽ = v;
    /// momentum: b ← μb + g/(√ṽ + ε), θ ← θ − η_t b;  else θ ← θ − η_t g/(√ṽ + ε).
    /// </summary>
    private static double[][] Reference(double[] rates, double alpha, double epsilon, double lambda, double mu, bool centered)
    {
        double[] theta = (double[])Start.Clone();
        double[] v = new double[theta.Length];
        double[] gBar = new double[theta.Length];
        double[] b = new double[theta.Length];
        var trajectory = new double[rates.Length][];
        for (int t = 0; t < rates.Length; t++)
        {
            for (int i = 0; i < theta.Length; i++)
            {
                double g = (Curvature[i] * (theta[i] - Target[i])) + (lambda * theta[i]);
                v[i] = (alpha * v[i]) + ((1 - alpha) * g * g);
                double denominatorSquare = v[i];
                if (centered)
                {
                    gBar[i] = (alpha * gBar[i]) + ((1 - alpha) * g);
                    denominatorSquare = v[i] - (gBar[i] * gBar[i]);
                }

                double step = g / (Math.Sqrt(denominatorSquare) + epsilon);
                if (mu > 0)
                {
                    b[i] = (mu * b[i]) + step;
                    theta[i] -= rates[t] * b[i];
                }
                else
                {
                    theta[i] -= rates[t] * step;
                }
            }

            trajectory[t] = (double[])theta.Clone();
        }

        return trajectory;
    }

    /// <summary>The source text's momentum form applied to the RMSProp step: Δθ ← μΔθ − η_t · g/(√v + ε); θ ← θ + Δθ.</summary>
    private static double[] SourceTextMomentum(double[] rates, double alpha, double mu)
    {
        double[] theta = (double[])Start.Clone();
        double[] v = new double[theta.Length];
        double[] delta = new double[theta.Length];
        foreach (double eta in rates)
        {
            for (int i = 0; i < theta.Length; i++)
            {
                double g = Curvature[i] * (theta[i] - Target[i]);
                v[i] = (alpha * v[i]) + ((1 - alpha) * g * g);
                delta[i] = (mu * delta[i]) - (eta * g / (Math.Sqrt(v[i]) + 1e-8));
                theta[i] += delta[i];
            }
        }

        return theta;
    }
}
