namespace NeuralNet.Optimizers;

/// <summary>Constructor checks shared by the optimizers; every message names the optimizer, the setting and the value.</summary>
internal static class HyperParameters
{
    /// <summary>A rate or penalty: finite and ≥ 0 (rejects NaN and ∞).</summary>
    public static double NonNegative(string optimizer, string name, double value)
    {
        if (!(value >= 0) || !double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{optimizer}: {name} must be finite and non-negative, got {value}.");
        }

        return value;
    }

    /// <summary>A decay coefficient such as β₁, β₂, α or momentum: in [0, 1).</summary>
    public static double UnitInterval(string optimizer, string name, double value)
    {
        if (!(value >= 0 && value < 1))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{optimizer}: {name} must be in [0, 1), got {value}.");
        }

        return value;
    }

    /// <summary>The denominator guard ε: finite and &gt; 0.</summary>
    public static double Positive(string optimizer, string name, double value)
    {
        if (!(value > 0) || !double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{optimizer}: {name} must be finite and positive, got {value}.");
        }

        return value;
    }
}
