using System.Numerics;

namespace NeuralNet.Optimizers;

/// <summary>
/// Constructor and setter checks shared by the optimizers; every message names the optimizer, the setting and the
/// value. A setting must also survive conversion to the element type <c>T</c> the update computes in: 1e300 is a finite
/// double but ∞ as a float, an ε of 1e-300 is 0 as a float, and a β of 0.9999999999999999 is 1 as a float.
/// </summary>
internal static class HyperParameters
{
    /// <summary>A rate or penalty: finite and ≥ 0, and finite in <typeparamref name="T"/> (rejects NaN and ∞).</summary>
    public static double NonNegative<T>(string optimizer, string name, double value)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!(value >= 0) || !double.IsFinite(value) || !T.IsFinite(T.CreateSaturating(value)))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{optimizer}: {Display(name)} must be finite and non-negative{InType<T>()}, got {value}.");
        }

        return value;
    }

    /// <summary>A decay coefficient such as β₁, β₂, α or momentum: in [0, 1), and below 1 in <typeparamref name="T"/>.</summary>
    public static double UnitInterval<T>(string optimizer, string name, double value)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!(value >= 0 && value < 1) || !(T.CreateSaturating(value) < T.One))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{optimizer}: {Display(name)} must be in [0, 1){InType<T>()}, got {value}.");
        }

        return value;
    }

    /// <summary>The denominator guard ε: finite and &gt; 0, and so in <typeparamref name="T"/>.</summary>
    public static double Positive<T>(string optimizer, string name, double value)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T converted = T.CreateSaturating(value);
        if (!(value > 0) || !double.IsFinite(value) || !T.IsFinite(converted) || !(converted > T.Zero))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{optimizer}: {Display(name)} must be finite and positive{InType<T>()}, got {value}.");
        }

        return value;
    }

    /// <summary>The setting as messages write it: the learning rate in words (its parameter is learningRate, its property LearningRate).</summary>
    private static string Display(string name) => name is "learningRate" or "LearningRate" ? "learning rate" : name;

    private static string InType<T>()
        where T : unmanaged, IFloatingPointIeee754<T> => typeof(T) == typeof(double) ? string.Empty : $" as a {typeof(T).Name}";
}
