using System.Numerics;

namespace NeuralNet.Compute;

/// <summary>
/// <c>log(1 + x)</c> and <c>eˣ − 1</c> accurate for tiny <c>x</c>. The runtime's <c>LogP1</c> and <c>ExpM1</c> are computed
/// as <c>log(x + 1)</c> and <c>exp(x) − 1</c>, which round a tiny <c>x</c> away; the corrections below (Kahan's) cancel the
/// rounding of <c>u = 1 + x</c> or <c>u = eˣ</c>.
/// </summary>
internal static class AccurateMath
{
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
