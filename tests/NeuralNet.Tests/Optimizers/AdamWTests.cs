using System.Numerics;
using NeuralNet.Optimizers;
using static NeuralNet.Tests.Optimizers.QuadraticProblem;

namespace NeuralNet.Tests.Optimizers;

/// <summary>
/// AdamW against PyTorch's documented update (torch.optim.AdamW), on L(θ) = ½ Σ cᵢ (θᵢ − τᵢ)², g = c ⊙ (θ − τ),
/// θ split over a 3 × 1 weight and a 1 × 1 bias.
/// </summary>
public sealed class AdamWTests
{
    [Theory]
    [InlineData(0.01)]
    [InlineData(0.5)]
    public void Step_ThreeSteps_MatchThePyTorchEquations(double weightDecay)
    {
        Parameter<double>[] parameters = Problem<double>();
        var adamW = new AdamW<double>(learningRate: 0.1, weightDecay: weightDecay);
        double[][] expected = Reference(0.1, 0.9, 0.999, 1e-8, weightDecay, steps: 3);
        for (int step = 0; step < 3; step++)
        {
            SetGradients(parameters);
            adamW.Step(parameters);
            Flatten(parameters).Should().Equal(expected[step], (a, e) => Math.Abs(a - e) <= 1e-14, $"step {step + 1}");
        }
    }

    [Fact]
    public void Step_ThreeStepsInFloat_MatchThePyTorchEquations()
    {
        Parameter<float>[] parameters = Problem<float>();
        var adamW = new AdamW<float>(learningRate: 0.1, weightDecay: 0.5);
        double[][] expected = Reference(0.1, 0.9, 0.999, 1e-8, 0.5, steps: 3);
        for (int step = 0; step < 3; step++)
        {
            SetGradients(parameters);
            adamW.Step(parameters);
            Flatten(parameters).Should().Equal(expected[step], (a, e) => Math.Abs(a - e) <= 2e-6, $"step {step + 1}");
        }
    }

    [Fact]
    public void Step_LongParameterWithRandomGradients_MatchesTheEquationsElementForElement()
    {
        // 37 elements: whole SIMD vectors plus a scalar tail, whatever the hardware's vector width.
        const int length = 37;
        var random = new Random(19);
        var parameter = new Parameter<double>("weight", length, 1);
        double[] theta = new double[length];
        double[] m = new double[length];
        double[] v = new double[length];
        for (int i = 0; i < length; i++)
        {
            theta[i] = (2 * random.NextDouble()) - 1;
            parameter.ValueSpan[i] = theta[i];
        }

        var adamW = new AdamW<double>(0.05, weightDecay: 0.3);
        for (int t = 1; t <= 3; t++)
        {
            for (int i = 0; i < length; i++)
            {
                double g = (2 * random.NextDouble()) - 1;
                parameter.GradientSpan[i] = g;

                // torch.optim.AdamW, written out per element.
                theta[i] -= 0.05 * 0.3 * theta[i];
                m[i] = (0.9 * m[i]) + (0.1 * g);
                v[i] = (0.999 * v[i]) + (0.001 * g * g);
                theta[i] -= 0.05 * (m[i] / (1 - Math.Pow(0.9, t))) / (Math.Sqrt(v[i] / (1 - Math.Pow(0.999, t))) + 1e-8);
            }

            adamW.Step([parameter]);
            parameter.ValueSpan.ToArray().Should().Equal(theta, (a, e) => Math.Abs(a - e) <= 1e-14, $"step {t}");
        }
    }

    [Fact]
    public void Step_ZeroGradient_DecayShrinksEveryWeightByOneMinusEtaLambda()
    {
        // g = 0 keeps m = v = 0, so only θ ← θ − ηλθ = 0.98 θ acts (η = 0.1, λ = 0.2).
        Parameter<double>[] parameters = Problem<double>();
        var adamW = new AdamW<double>(learningRate: 0.1, weightDecay: 0.2);
        for (int step = 0; step < 3; step++)
        {
            adamW.Step(parameters);
        }

        Flatten(parameters).Should().Equal(Start.Select(x => x * 0.98 * 0.98 * 0.98), (a, e) => Math.Abs(a - e) <= 1e-15);
    }

    [Fact]
    public void DecoupledDecay_DiffersFromAdamsCoupledL2()
    {
        Parameter<double>[] decoupled = Problem<double>();
        Parameter<double>[] coupled = Problem<double>();
        var adamW = new AdamW<double>(learningRate: 0.1, weightDecay: 0.5);
        var adam = new Adam<double>(learningRate: 0.1, weightDecay: 0.5);
        for (int step = 0; step < 3; step++)
        {
            SetGradients(decoupled);
            adamW.Step(decoupled);
            SetGradients(coupled);
            adam.Step(coupled);
        }

        Flatten(decoupled).Zip(Flatten(coupled), (a, b) => Math.Abs(a - b)).Max().Should().BeGreaterThan(1e-3);
    }

    [Theory]
    [InlineData(0.5, 0.999, 1e-8, 0.01)]
    [InlineData(0.9, 0.9, 1e-8, 0.01)]
    [InlineData(0.9, 0.999, 0.5, 0.01)]
    [InlineData(0.9, 0.999, 1e-8, 0.0)]
    public void HyperParameters_EachIsAppliedAndChangesTheResult(double beta1, double beta2, double epsilon, double weightDecay)
    {
        Parameter<double>[] parameters = Problem<double>();
        var adamW = new AdamW<double>(0.1, beta1, beta2, epsilon, weightDecay);
        for (int step = 0; step < 3; step++)
        {
            SetGradients(parameters);
            adamW.Step(parameters);
        }

        double[] result = Flatten(parameters);
        result.Should().Equal(Reference(0.1, beta1, beta2, epsilon, weightDecay, 3)[2], (a, e) => Math.Abs(a - e) <= 1e-14);
        double[] defaults = Reference(0.1, 0.9, 0.999, 1e-8, 0.01, 3)[2];
        result.Zip(defaults, (a, d) => Math.Abs(a - d)).Max().Should().BeGreaterThan(1e-4);
    }

    [Fact]
    public void WeightDecay_DefaultIsPyTorchs()
    {
        new AdamW<float>().WeightDecay.Should().Be(0.01);
        new AdamW<float>().LearningRate.Should().Be(0.001);
    }

    [Theory]
    [InlineData(-0.1, 0.9, 0.999, 1e-8, 0.01, "learningRate")]
    [InlineData(double.NaN, 0.9, 0.999, 1e-8, 0.01, "learningRate")]
    [InlineData(0.1, 1.0, 0.999, 1e-8, 0.01, "beta1")]
    [InlineData(0.1, -0.5, 0.999, 1e-8, 0.01, "beta1")]
    [InlineData(0.1, 0.9, 1.0, 1e-8, 0.01, "beta2")]
    [InlineData(0.1, 0.9, double.NaN, 1e-8, 0.01, "beta2")]
    [InlineData(0.1, 0.9, 0.999, 0.0, 0.01, "epsilon")]
    [InlineData(0.1, 0.9, 0.999, double.NaN, 0.01, "epsilon")]
    [InlineData(0.1, 0.9, 0.999, 1e-8, -0.01, "weightDecay")]
    [InlineData(0.1, 0.9, 0.999, 1e-8, double.PositiveInfinity, "weightDecay")]
    public void Constructor_BadHyperParameters_AreRejectedWithTheirNameAndValue(
        double learningRate, double beta1, double beta2, double epsilon, double weightDecay, string name)
    {
        Action create = () => _ = new AdamW<double>(learningRate, beta1, beta2, epsilon, weightDecay);
        create.Should().Throw<ArgumentOutOfRangeException>()
            .Where(e => e.ParamName == name && e.Message.Contains("AdamW", StringComparison.Ordinal));
    }

    [Fact]
    public void SetState_OfASavedState_ContinuesBitForBit()
    {
        Parameter<double>[] parameters = Problem<double>();
        var adamW = new AdamW<double>(learningRate: 0.1, weightDecay: 0.3);
        for (int step = 0; step < 2; step++)
        {
            SetGradients(parameters);
            adamW.Step(parameters);
        }

        OptimizerState<double> saved = adamW.GetState(parameters);
        double[] savedValues = Flatten(parameters);
        SetGradients(parameters);
        adamW.Step(parameters);

        Parameter<double>[] copy = Problem<double>();
        Load(copy, savedValues);
        var resumed = new AdamW<double>(learningRate: 0.1, weightDecay: 0.3);
        resumed.SetState(copy, saved);
        SetGradients(copy);
        resumed.Step(copy);
        Flatten(copy).Should().Equal(Flatten(parameters));
    }

    /// <summary>
    /// Independent scalar transcription of torch.optim.AdamW (amsgrad = False), in double:
    /// θ ← θ − ηλθ;  g = c(θ_old − τ);  m ← β₁m + (1 − β₁)g;  v ← β₂v + (1 − β₂)g²;  m̂ = m/(1 − β₁ᵗ);  v̂ = v/(1 − β₂ᵗ);
    /// θ ← θ − η m̂/(√v̂ + ε). The gradient is taken before the step, at the weights before decay.
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
                double g = Curvature[i] * (theta[i] - Target[i]);
                theta[i] -= eta * lambda * theta[i];
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
