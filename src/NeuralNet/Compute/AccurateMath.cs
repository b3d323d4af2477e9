using System.Numerics;

namespace NeuralNet.Compute;

/// <summary>
/// <c>log(1 + x)</c> and <c>eˣ − 1</c> accurate for tiny <c>x</c>. The runtime's <c>LogP1</c> and <c>ExpM1</c> are computed
/// as <c>log(x + 1)</c> and <c>eˣ − 1</c>, which round a tiny <c>x</c> away; the corrections below (Kahan's) cancel the
/// rounding of <c>u = 1 + x</c> or <c>u = eˣ</c>.
/// </summary>
/// <remarks>
/// The float activations evaluate their function and derivative with the double-precision forms below and round once,
/// so a float result is within an ulp or two of the true value in the tails too (docs/robustness.md, "Layers and
/// training"). The forms avoid every cancellation a float result could see: <c>σ′(x)</c> is <c>σ(x)·σ(−x)</c>, not
/// <c>y(1 − y)</c>; <c>tanh′(x)</c> is <c>1/cosh²x</c>, not <c>1 − y²</c>; Φ is <c>erfc(−x/√2)/2</c>, not <c>(1 + erf(x/√2))/2</c>.
/// </remarks>
internal static class AccurateMath
{
    private static readonly double InverseSqrt2 = 1.0 / Math.Sqrt(2.0);
    private static readonly double InverseSqrt2Pi = 1.0 / Math.Sqrt(2.0 * Math.PI);

    /// <summary><c>σ(x) = 1/(1 + e^(−x))</c>, from the branch that neither overflows nor cancels.</summary>
    public static double Sigmoid(double x)
    {
        if (x >= 0)
        {
            return 1 / (1 + Math.Exp(-x));
        }

        double e = Math.Exp(x);
        return e / (1 + e);
    }

    /// <summary><c>σ′(x) = σ(x)·σ(−x)</c>: both factors keep their relative accuracy in either tail.</summary>
    public static double SigmoidDerivative(double x) => Sigmoid(x) * Sigmoid(-x);

    /// <summary><c>tanh′(x) = 1/cosh²x</c>, accurate in the tails where <c>1 − tanh²x</c> cancels to 0.</summary>
    public static double TanhDerivative(double x)
    {
        double c = Math.Cosh(x);
        return 1 / (c * c);
    }

    /// <summary><c>log(1 + eˣ)</c> as <c>max(x, 0) + log(1 + e^(−|x|))</c>.</summary>
    public static double Softplus(double x) => Math.Max(x, 0) + LogOnePlus(Math.Exp(-Math.Abs(x)));

    /// <summary>The standard normal CDF <c>Φ(x) = erfc(−x/√2)/2</c>, which keeps the lower tail (where <c>1 + erf</c> cancels to 0).</summary>
    public static double NormalCdf(double x) => 0.5 * MathNet.Numerics.SpecialFunctions.Erfc(-x * InverseSqrt2);

    /// <summary>The standard normal density <c>φ(x)</c>.</summary>
    public static double NormalDensity(double x) => InverseSqrt2Pi * Math.Exp(-0.5 * x * x);
    /// <summary><c>log(1 + x)</c>: with <c>u = 1 + x</c>, <c>log(u)·x/(u − 1)</c>.</summary>
    public static T LogOnePlus<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T u = T.One + x;
        return u == T.One ? x : T.Log(u) * x / (u - T.One);
    }

    /// <summary><c>eˣ − 1</c>: with <c>u = eˣ</c>, <c>(u − 1)·x/log(u)</c>.</summary>
    public static T ExpMinusOne<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T u = T.Exp(x);
        if (u == T.One)
        {
            return x;
        }

        T um1 = u - T.One;
        return um1 == -T.One || !T.IsFinite(u) ? um1 : um1 * x / T.Log(u);
    }
}
