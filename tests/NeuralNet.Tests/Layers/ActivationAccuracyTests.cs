using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Layers;

namespace NeuralNet.Tests.Layers;

/// <summary>
/// Every activation in float, near 0 (tiny and denormal inputs), at its kinks and in both tails, against a
/// double-precision reference computed here from the definition (PyTorch's semantics, including its choice of
/// derivative at a kink): the value and the derivative (backward with an upstream gradient of 1) must be within 4 ulps
/// of float of the reference, exact where the reference is a float (0, ½, 1, the input itself, a saturated tail), and within 4 × <see cref="float.Epsilon"/> where
/// the true value lies in float's denormal range.
/// </summary>
/// <remarks>
/// The references use no library code and no formula the layers use in float: σ from its two stable branches, sech² for
/// tanh′, Φ from Marsaglia's series and the Mills-ratio continued fraction (not erf), log1p and expm1 from their Taylor
/// series where the naive forms cancel.
/// </remarks>
public sealed class ActivationAccuracyTests
{
    private const int MaxUlps = 4;

    /// <summary>Inputs near 0 (tiny, denormal, the smallest float), in both tails, and the edges of float's exp range.</summary>
    private static readonly float[] Common =
    [
        0f, 1e-8f, -1e-8f, 1e-30f, -1e-30f, 1e-40f, -1e-40f, float.Epsilon, -float.Epsilon, 1.17549435e-38f, -1.17549435e-38f,
        0.25f, -0.25f, 0.5f, -0.5f, 1f, -1f, 1.5f, -1.5f, 2f, -2f, 5f, -5f, 10f, -10f, 20f, -20f, 30f, -30f, 50f, -50f,
        87.5f, -87.5f, 88f, -88f, 89f, -89f, 100f, -100f, 104f, -104f, 1e4f, -1e4f, 1e30f, -1e30f, float.MaxValue, -float.MaxValue,
    ];

    public static TheoryData<string> Activations =>
        ["ReLU", "LeakyReLU", "Sigmoid", "Tanh", "Identity", "Elu", "EluAlpha", "Softplus", "Gelu", "SiLU", "HardSigmoid"];

    [Theory]
    [MemberData(nameof(Activations))]
    public void FloatValueAndDerivative_AtZeroKinksAndTails_AreWithinFourUlpsOfTheDoubleDefinition(string activation)
    {
        (ILayer<float> layer, Reference reference, float[] kinks) = Case(activation);
        float[] inputs = [.. Common, .. kinks.SelectMany(Around)];
        Matrix<float> x = Matrix<float>.Build.DenseOfColumnArrays(inputs);

        float[] values = layer.Forward(x).ToColumnMajorArray();
        float[] derivatives = layer.Backward(Matrix<float>.Build.Dense(inputs.Length, 1, 1f)).ToColumnMajorArray();
        var predicted = Matrix<float>.Build.Dense(inputs.Length, 1);
        layer.Predict(x, predicted);

        var failures = new List<string>();
        for (int i = 0; i < inputs.Length; i++)
        {
            (double value, double derivative) = reference(inputs[i]);
            Check(failures, $"{activation}({inputs[i]:R})", values[i], value);
            Check(failures, $"{activation}′({inputs[i]:R})", derivatives[i], derivative);
            if (BitConverter.SingleToInt32Bits(predicted[i, 0]) != BitConverter.SingleToInt32Bits(values[i]))
            {
                failures.Add($"Predict gives {predicted[i, 0]:R} for {inputs[i]:R}, Forward {values[i]:R}");
            }
        }

        string.Join(Environment.NewLine, failures).Should().BeEmpty();
    }

    [Fact]
    public void FloatSoftmaxAndJacobian_InConfidentAndTinyCases_AreWithinFourUlpsOfTheDoubleDefinition()
    {
        float[][] samples =
        [
            [0f, 0f, 0f],
            [0f, 1e-8f, -1e-8f],
            [1e-30f, -1e-40f, float.Epsilon],
            [0f, -10f, 10f],
            [50f, 0f, -50f],
            [88f, -88f, 0f, 1f],
            [0f, -20f, -30f, -100f],
            [3.3f, -97.1f, 12.25f, -0.7f],
            [1e4f, -1e4f, 9999f],
            [1e30f, -1e30f, 0f],
            [-5f, -5.5f, -6f, -104f, 2.75f],
            [1.1f, -80.3f, 0.3f],
            [0.1f, -30.7f, -60.3f, 0.2f, -90.9f],
        ];
        var failures = new List<string>();
        foreach (float[] z in samples)
        {
            var layer = new Softmax<float>();
            Matrix<float> input = Matrix<float>.Build.DenseOfColumnArrays(z);
            float[] s = layer.Forward(input).ToColumnMajorArray();
            double[] exact = SoftmaxReference(z);
            string sample = $"softmax([{string.Join(", ", z.Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)))}])";
            for (int i = 0; i < z.Length; i++)
            {
                Check(failures, $"{sample}[{i}]", s[i], exact[i]);
            }

            // Backward with a one-hot upstream gradient e_k gives column k of the Jacobian: ∂s_k/∂z_i = s_k(δ_ik − s_i).
            for (int k = 0; k < z.Length; k++)
            {
                var oneHot = Matrix<float>.Build.Dense(z.Length, 1);
                oneHot[k, 0] = 1f;
                float[] column = layer.Backward(oneHot).ToColumnMajorArray();
                for (int i = 0; i < z.Length; i++)
                {
                    double others = exact.Where((_, j) => j != k).Sum();
                    double expected = i == k ? exact[k] * others : -exact[k] * exact[i];
                    Check(failures, $"∂{sample}[{k}]/∂z[{i}]", column[i], expected);
                }
            }
        }

        string.Join(Environment.NewLine, failures).Should().BeEmpty();
    }

    [Fact]
    public void TheUlpCheck_RejectsFiveUlpsADenormalFiveEpsilonsOffAndAnInexactFloat()
    {
        const float Ulp = 1.1920929e-7f;
        var failures = new List<string>();
        Check(failures, "four ulps", 1f + (4 * Ulp), 1 + 1e-12);
        Check(failures, "four denormal steps", 4 * float.Epsilon, 1e-50);
        Check(failures, "exact", 0.5f, 0.5);
        string.Join(Environment.NewLine, failures).Should().BeEmpty();

        Check(failures, "five ulps", 1f + (5 * Ulp), 1 + 1e-12);
        Check(failures, "five denormal steps", 5 * float.Epsilon, 1e-50);
        Check(failures, "a float reference missed by one ulp", BitIncrement(0.5f), 0.5);
        failures.Should().HaveCount(3);
    }

    /// <summary>A reference: the value and the derivative at a float input, in double.</summary>
    private delegate (double Value, double Derivative) Reference(double x);

    private static (ILayer<float> Layer, Reference Reference, float[] Kinks) Case(string activation) => activation switch
    {
        "ReLU" => (new Relu<float>(), x => (Math.Max(x, 0), x > 0 ? 1 : 0), [0f]),
        "LeakyReLU" => (new LeakyRelu<float>(0.137), x => (x > 0 ? x : 0.137 * x, x > 0 ? 1 : 0.137), [0f]),
        "Sigmoid" => (new Sigmoid<float>(), x => (Sigma(x), Sigma(x) * Sigma(-x)), []),
        "Tanh" => (new Tanh<float>(), x => (Math.Tanh(x), 1 / (Math.Cosh(x) * Math.Cosh(x))), []),
        "Identity" => (new Identity<float>(), x => (x, 1), []),
        "Elu" => (new Elu<float>(), x => (x > 0 ? x : ExpMinusOne(x), x > 0 ? 1 : Math.Exp(x)), [0f]),
        "EluAlpha" => (new Elu<float>(0.73), x => (x > 0 ? x : 0.73 * ExpMinusOne(x), x > 0 ? 1 : 0.73 * Math.Exp(x)), [0f]),
        "Softplus" => (new Softplus<float>(), x => (x > 0 ? x + LogOnePlus(Math.Exp(-x)) : LogOnePlus(Math.Exp(x)), Sigma(x)), []),
        "Gelu" => (new Gelu<float>(), x => (x * Phi(x), Phi(x) + (x * Density(x))), []),
        "SiLU" => (new Silu<float>(), x => (x * Sigma(x), Sigma(x) * (1 + (x * Sigma(-x)))), []),
        "HardSigmoid" => (new HardSigmoid<float>(), x => (Math.Clamp((x / 6) + 0.5, 0, 1), x > -3 && x < 3 ? 1.0 / 6 : 0), [-3f, 3f]),
        _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, null),
    };

    /// <summary>A kink and the floats on either side of it.</summary>
    private static float[] Around(float kink) => [kink, BitIncrement(kink), BitDecrement(kink), kink + 1e-3f, kink - 1e-3f];

    /// <summary>
    /// Records a failure unless <paramref name="actual"/> is within <see cref="MaxUlps"/> float ulps of <paramref name="expected"/>
    /// (an ulp of a denormal being <see cref="float.Epsilon"/>); a reference that is itself a float must be met exactly.
    /// </summary>
    private static void Check(List<string> failures, string what, float actual, double expected)
    {
        if (double.IsInfinity(expected) || Math.Abs(expected) > float.MaxValue)
        {
            if (!float.IsInfinity(actual) || Math.Sign(actual) != Math.Sign(expected))
            {
                failures.Add($"{what} = {actual:R}, expected overflow to {Math.Sign(expected) * double.PositiveInfinity}");
            }

            return;
        }

        bool mustBeExact = (double)(float)expected == expected;
        double error = Math.Abs(actual - expected);
        double ulp = Ulp(expected);
        if (!float.IsFinite(actual) || (mustBeExact ? error != 0 : error > MaxUlps * ulp))
        {
            failures.Add(string.Create(
                System.Globalization.CultureInfo.InvariantCulture,
                $"{what} = {actual:R}, expected {expected:R} ({(float.IsFinite(actual) ? error / ulp : double.PositiveInfinity):0.#} ulps{(mustBeExact ? ", must be exact" : string.Empty)})"));
        }
    }

    /// <summary>The spacing of floats at <paramref name="value"/>: 2^(e − 23) for a normal, <see cref="float.Epsilon"/> in the denormal range.</summary>
    private static double Ulp(double value)
    {
        double magnitude = Math.Abs(value);
        return magnitude < 1.1754943508222875e-38 ? float.Epsilon : Math.Pow(2, Math.Floor(Math.Log2(magnitude)) - 23);
    }

    private static float BitIncrement(float value) => MathF.BitIncrement(value);

    private static float BitDecrement(float value) => MathF.BitDecrement(value);

    /// <summary>σ(x) from its two stable branches.</summary>
    private static double Sigma(double x) => x >= 0 ? 1 / (1 + Math.Exp(-x)) : Math.Exp(x) / (1 + Math.Exp(x));

    /// <summary>eˣ − 1, from its Taylor series where the naive form cancels.</summary>
    private static double ExpMinusOne(double x)
    {
        if (Math.Abs(x) >= 1e-3)
        {
            return Math.Exp(x) - 1;
        }

        double sum = 0;
        for (int n = 8; n >= 1; n--)
        {
            sum = x / n * (1 + sum);
        }

        return sum;
    }

    /// <summary>log(1 + u) for u ≥ 0, from its Taylor series where the naive form cancels.</summary>
    private static double LogOnePlus(double u)
    {
        if (u >= 1e-3)
        {
            return Math.Log(1 + u);
        }

        double sum = 0;
        for (int n = 8; n >= 1; n--)
        {
            sum = (1.0 / n) - (u * sum);
        }

        return u * sum;
    }

    /// <summary>The standard normal density φ(x).</summary>
    private static double Density(double x) => Math.Exp(-0.5 * x * x) / Math.Sqrt(2 * Math.PI);

    /// <summary>
    /// The standard normal CDF Φ(x): Marsaglia's series Φ(x) = ½ + φ(x)·Σ x^(2n+1)/(2n+1)!! for |x| &lt; 3, and the Mills
    /// ratio R(t) = Φ(−t)/φ(t) as the continued fraction 1/(t + 1/(t + 2/(t + 3/(t + …)))) beyond, so the lower tail keeps
    /// its relative accuracy (1 + erf(x/√2) would cancel to 0).
    /// </summary>
    private static double Phi(double x)
    {
        if (Math.Abs(x) < 3)
        {
            double term = x, sum = x;
            for (int n = 1; n < 200 && Math.Abs(term) > 1e-18 * Math.Abs(sum); n++)
            {
                term *= x * x / ((2 * n) + 1);
                sum += term;
            }

            return 0.5 + (Density(x) * sum);
        }

        double t = Math.Abs(x);
        double fraction = t;
        for (int n = 300; n >= 1; n--)
        {
            fraction = t + (n / fraction);
        }

        double tail = Density(t) / fraction;
        return x < 0 ? tail : 1 - tail;
    }

    /// <summary>Softmax in double: e^(zᵢ − m) / Σ e^(zⱼ − m), with m = max z.</summary>
    private static double[] SoftmaxReference(float[] z)
    {
        double m = z.Max();
        double[] e = [.. z.Select(v => Math.Exp(v - m))];
        double total = e.Sum();
        return [.. e.Select(v => v / total)];
    }
}
