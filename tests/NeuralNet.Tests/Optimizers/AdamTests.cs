using System.Numerics;
using NeuralNet.Optimizers;
using static NeuralNet.Tests.Optimizers.QuadraticProblem;

namespace NeuralNet.Tests.Optimizers;

/// <summary>
/// Adam against PyTorch's documented update (torch.optim.Adam), on the fixed problem
/// L(θ) = ½ Σ cᵢ (θᵢ − τᵢ)², so g = c ⊙ (θ − τ), with θ split over two parameters (a 3 × 1 weight and a 1 × 1 bias).
/// </summary>
/// <remarks>The target τ ≠ 0 matters: with g ∝ θ, Adam is invariant to the per-element curvature and coupled L2 decay would change nothing.</remarks>
public sealed class AdamTests
{
    [Fact]
    public void Step_ThreeStepsInDouble_MatchThePyTorchEquations()
    {
        Parameter<double>[] parameters = Problem<double>();
        var adam = new Adam<double>(learningRate: 0.1);
        double[][] expected = Reference(0.1, 0.9, 0.999, 1e-8, 0, steps: 3);
        for (int step = 0; step < 3; step++)
        {
            SetGradients(parameters);
            adam.Step(parameters);
            Flatten(parameters).Should().Equal(expected[step], (a, e) => Math.Abs(a - e) <= 1e-14, $"step {step + 1}");
        }
    }

    [Fact]
    public void Step_ThreeStepsInFloat_MatchThePyTorchEquations()
    {
        Parameter<float>[] parameters = Problem<float>();
        var adam = new Adam<float>(learningRate: 0.1);
        double[][] expected = Reference(0.1, 0.9, 0.999, 1e-8, 0, steps: 3);
        for (int step = 0; step < 3; step++)
        {
            SetGradients(parameters);
            adam.Step(parameters);
            Flatten(parameters).Should().Equal(expected[step], (a, e) => Math.Abs(a - e) <= 2e-6, $"step {step + 1}");
        }
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.2)]
    public void Step_LongParameterWithRandomGradients_MatchesTheEquationsElementForElement(double weightDecay)
    {
        // 37 elements: whole SIMD vectors plus a scalar tail, whatever the hardware's vector width.
        const int length = 37;
        var random = new Random(17);
        var parameter = new Parameter<double>("weight", length, 1);
        double[] theta = new double[length];
        double[] m = new double[length];
        double[] v = new double[length];
        for (int i = 0; i < length; i++)
        {
            theta[i] = (2 * random.NextDouble()) - 1;
            parameter.ValueSpan[i] = theta[i];
        }

        var adam = new Adam<double>(0.05, weightDecay: weightDecay);
        for (int t = 1; t <= 3; t++)
        {
            for (int i = 0; i < length; i++)
            {
                double gradient = (2 * random.NextDouble()) - 1;
                parameter.GradientSpan[i] = gradient;

                // torch.optim.Adam, written out per element.
                double g = gradient + (weightDecay * theta[i]);
                m[i] = (0.9 * m[i]) + (0.1 * g);
                v[i] = (0.999 * v[i]) + (0.001 * g * g);
                theta[i] -= 0.05 * (m[i] / (1 - Math.Pow(0.9, t))) / (Math.Sqrt(v[i] / (1 - Math.Pow(0.999, t))) + 1e-8);
            }

            adam.Step([parameter]);
            parameter.ValueSpan.ToArray().Should().Equal(theta, (a, e) => Math.Abs(a - e) <= 1e-14, $"step {t}");
        }
    }

    [Fact]
    public void BiasCorrection_FirstStep_MovesEachElementByTheLearningRate()
    {
        // t = 1: m = 0.1 g, v = 0.001 g², m̂ = m / (1 − 0.9) = g, v̂ = v / (1 − 0.999) = g²,
        // so θ₁ = θ₀ − 0.1 · g / (|g| + 1e-8). Without the correction the step would be 0.1 · 0.1g / (√0.001 |g|) ≈ 0.316 · sign(g).
        Parameter<double>[] parameters = Problem<double>();
        SetGradients(parameters);
        new Adam<double>(learningRate: 0.1).Step(parameters);

        // g = c ⊙ (θ₀ − τ) = [0.5, −9, 0.75, 0.5]
        Flatten(parameters).Should().Equal(
            [1.0 - (0.05 / (0.5 + 1e-8)), -2.0 + (0.9 / (9 + 1e-8)), 0.5 - (0.075 / (0.75 + 1e-8)), 0.25 - (0.05 / (0.5 + 1e-8))],
            (a, e) => Math.Abs(a - e) <= 1e-15);
        Flatten(parameters)[0].Should().BeApproximately(0.900000002, 1e-12);
        Flatten(parameters)[1].Should().BeApproximately(-1.9000000001111111, 1e-12);
    }

    [Fact]
    public void BiasCorrection_StepTwo_DividesTheMomentsByOneMinusBetaSquared()
    {
        Parameter<double>[] parameters = Problem<double>();
        var adam = new Adam<double>(learningRate: 0.1);
        SetGradients(parameters);
        adam.Step(parameters);
        double theta1 = Flatten(parameters)[0]; // 0.900000002 (previous test)
        SetGradients(parameters);
        adam.Step(parameters);

        // Element 0 (c = 1, τ = 0.5): g₁ = 0.5, g₂ = θ₁ − 0.5 = 0.400000002.
        // m₂ = 0.9 · 0.1 · 0.5 + 0.1 · 0.400000002 = 0.0850000002;  v₂ = 0.999 · 0.001 · 0.25 + 0.001 · 0.400000002² = 0.0004097500016
        OptimizerState<double> state = adam.GetState(parameters);
        state.StepCount.Should().Be(2);
        state.Buffers[0]["firstMoment"][0].Should().BeApproximately(0.0850000002, 1e-15);
        state.Buffers[0]["secondMoment"][0].Should().BeApproximately(0.0004097500016, 1e-15);

        // m̂ = m₂ / (1 − 0.9²) = m₂ / 0.19;  v̂ = v₂ / (1 − 0.999²) = v₂ / 0.001999
        double mHat = 0.0850000002 / 0.19;
        double vHat = 0.0004097500016 / 0.001999;
        Flatten(parameters)[0].Should().BeApproximately(theta1 - (0.1 * mHat / (Math.Sqrt(vHat) + 1e-8)), 1e-14);
        Flatten(parameters)[0].Should().BeApproximately(0.8011874237, 1e-9);
    }

    [Theory]
    [InlineData(0.5, 0.999, 1e-8, 0.0)]
    [InlineData(0.9, 0.9, 1e-8, 0.0)]
    [InlineData(0.9, 0.999, 0.5, 0.0)]
    [InlineData(0.9, 0.999, 1e-8, 0.3)]
    public void HyperParameters_EachIsAppliedAndChangesTheResult(double beta1, double beta2, double epsilon, double weightDecay)
    {
        Parameter<double>[] parameters = Problem<double>();
        var adam = new Adam<double>(0.1, beta1, beta2, epsilon, weightDecay);
        for (int step = 0; step < 3; step++)
        {
            SetGradients(parameters);
            adam.Step(parameters);
        }

        double[] result = Flatten(parameters);
        result.Should().Equal(Reference(0.1, beta1, beta2, epsilon, weightDecay, 3)[2], (a, e) => Math.Abs(a - e) <= 1e-14);
        double[] defaults = Reference(0.1, 0.9, 0.999, 1e-8, 0, 3)[2];
        result.Zip(defaults, (a, d) => Math.Abs(a - d)).Max().Should().BeGreaterThan(1e-4);
    }

    [Fact]
    public void LearningRate_CanChangeBetweenSteps()
    {
        Parameter<double>[] parameters = Problem<double>();
        var adam = new Adam<double>(learningRate: 0.1);
        SetGradients(parameters);
        adam.Step(parameters);
        adam.LearningRate = 0;
        double[] before = Flatten(parameters);
        SetGradients(parameters);
        adam.Step(parameters);
        Flatten(parameters).Should().Equal(before);
    }

    [Theory]
    [InlineData(-0.1, 0.9, 0.999, 1e-8, 0.0, "learningRate")]
    [InlineData(double.NaN, 0.9, 0.999, 1e-8, 0.0, "learningRate")]
    [InlineData(double.PositiveInfinity, 0.9, 0.999, 1e-8, 0.0, "learningRate")]
    [InlineData(0.1, 1.0, 0.999, 1e-8, 0.0, "beta1")]
    [InlineData(0.1, -0.1, 0.999, 1e-8, 0.0, "beta1")]
    [InlineData(0.1, double.NaN, 0.999, 1e-8, 0.0, "beta1")]
    [InlineData(0.1, 0.9, 1.0, 1e-8, 0.0, "beta2")]
    [InlineData(0.1, 0.9, 1.5, 1e-8, 0.0, "beta2")]
    [InlineData(0.1, 0.9, 0.999, 0.0, 0.0, "epsilon")]
    [InlineData(0.1, 0.9, 0.999, -1e-8, 0.0, "epsilon")]
    [InlineData(0.1, 0.9, 0.999, 1e-8, -0.01, "weightDecay")]
    public void Constructor_BadHyperParameters_AreRejectedWithTheirNameAndValue(
        double learningRate, double beta1, double beta2, double epsilon, double weightDecay, string name)
    {
        Action create = () => _ = new Adam<double>(learningRate, beta1, beta2, epsilon, weightDecay);
        create.Should().Throw<ArgumentOutOfRangeException>()
            .Where(e => e.Message.Contains("Adam", StringComparison.Ordinal) && (e.ParamName == name || (name == "learningRate" && e.ParamName == "learning rate")));
    }

    [Fact]
    public void LearningRate_SetNegative_Throws()
    {
        var adam = new Adam<float>();
        Action set = () => adam.LearningRate = -1;
        set.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*-1*");
        adam.LearningRate.Should().Be(0.001);
    }

    [Fact]
    public void SetState_OfASavedState_ContinuesBitForBit()
    {
        Parameter<double>[] parameters = Problem<double>();
        var adam = new Adam<double>(learningRate: 0.1);
        for (int step = 0; step < 2; step++)
        {
            SetGradients(parameters);
            adam.Step(parameters);
        }

        OptimizerState<double> saved = adam.GetState(parameters);
        double[] savedValues = Flatten(parameters);
        SetGradients(parameters);
        adam.Step(parameters);
        double[] continued = Flatten(parameters);

        Parameter<double>[] copy = Problem<double>();
        Load(copy, savedValues);
        var resumed = new Adam<double>(learningRate: 0.1);
        resumed.SetState(copy, saved);
        SetGradients(copy);
        resumed.Step(copy);
        Flatten(copy).Should().Equal(continued);
    }

    [Fact]
    public void SetState_WrongShape_IsRejectedAndChangesNothing()
    {
        Parameter<double>[] parameters = Problem<double>();
        var adam = new Adam<double>();
        SetGradients(parameters);
        adam.Step(parameters);
        OptimizerState<double> good = adam.GetState(parameters);
        var wrong = new OptimizerState<double>(
            1, [new Dictionary<string, double[]> { ["firstMoment"] = new double[2], ["secondMoment"] = new double[2] }, good.Buffers[1]]);
        Action restore = () => adam.SetState(parameters, wrong);
        restore.Should().Throw<ArgumentException>().WithMessage("*firstMoment*2 values, expected 3*");
        adam.GetState(parameters).Buffers[0]["firstMoment"].Should().Equal(good.Buffers[0]["firstMoment"]);
    }

    /// <summary>
    /// Independent scalar transcription of torch.optim.Adam (amsgrad = False, maximize = False), in double:
    /// g ← c(θ − τ) + λθ;  m ← β₁m + (1 − β₁)g;  v ← β₂v + (1 − β₂)g²;  m̂ = m/(1 − β₁ᵗ);  v̂ = v/(1 − β₂ᵗ);  θ ← θ − η m̂/(√v̂ + ε).
    /// </summary>
    private static double[][] Reference(double eta, double beta1, double beta2, double epsilon, double lambda, int steps)
    {
        double[] theta = (double[])Start.Clone();
        double[] m = new double[theta.Length];
        double[] v = new double[theta.Length];
        var trajectory = new double[steps][];
        for (int t = 1; t <= steps; t++)
        {
            for (int i = 0; i < theta.Length; i++)
            {
                double g = (Curvature[i] * (theta[i] - Target[i])) + (lambda * theta[i]);
                m[i] = (beta1 * m[i]) + ((1 - beta1) * g);
                v[i] = (beta2 * v[i]) + ((1 - beta2) * g * g);
                double mHat = m[i] / (1 - Math.Pow(beta1, t));
                double vHat = v[i] / (1 - Math.Pow(beta2, t));
                theta[i] -= eta * mHat / (Math.Sqrt(vHat) + epsilon);
            }

            trajectory[t - 1] = (double[])theta.Clone();
        }

        return trajectory;
    }
}
