namespace NeuralNet.Diagnostics;

/// <summary>One checked gradient entry: where it is, the analytic and numeric values, and how far apart they are.</summary>
/// <param name="Tensor">What was differentiated: <c>"input"</c>, or a parameter such as <c>"layer 0 weight"</c>.</param>
/// <param name="Index">The entry's index in the tensor's column-major storage.</param>
/// <param name="Analytic">The gradient the backward pass computed.</param>
/// <param name="Numeric">The central-difference estimate.</param>
/// <param name="Tolerance">The largest difference allowed for this entry.</param>
public sealed record GradientCheckEntry(string Tensor, int Index, double Analytic, double Numeric, double Tolerance)
{
    /// <summary>The absolute difference <c>|analytic − numeric|</c> (∞ when either is not finite).</summary>
    public double Error => double.IsFinite(Analytic) && double.IsFinite(Numeric) ? Math.Abs(Analytic - Numeric) : double.PositiveInfinity;

    /// <summary>Whether the entry is within its tolerance (never when either value is not finite).</summary>
    public bool Passed => double.IsFinite(Error) && Error <= Tolerance;

    /// <summary>The error as a multiple of the tolerance; above 1 fails; +∞ when either value is not finite.</summary>
    public double Ratio => double.IsFinite(Error) ? Error / Tolerance : double.PositiveInfinity;
}
