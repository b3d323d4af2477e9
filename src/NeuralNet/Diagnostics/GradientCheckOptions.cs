namespace NeuralNet.Diagnostics;

/// <summary>Settings of a <see cref="GradientCheck"/>: the finite-difference step, the tolerance and the seed of the upstream gradient.</summary>
public sealed class GradientCheckOptions
{
    /// <summary>The step <c>h</c> of the central difference <c>(f(x + h) − f(x − h)) / 2h</c>; default 1e-6.</summary>
    public double Step { get; init; } = 1e-6;

    /// <summary>The relative error allowed per entry; default 1e-6.</summary>
    public double RelativeTolerance { get; init; } = 1e-6;

    /// <summary>
    /// Entries smaller than this are held to <c>RelativeTolerance × Floor</c> in absolute terms instead (default 1e-2,
    /// so 1e-8): the central difference's own rounding error is about <c>ε·|f| / h</c>, whatever the entry's size.
    /// </summary>
    public double Floor { get; init; } = 1e-2;

    /// <summary>Seed of the random upstream gradient (a random one, not all ones, so transposes cannot hide); default 0.</summary>
    public int Seed { get; init; }

    /// <summary>How many of the worst entries the report keeps; default 10.</summary>
    public int WorstEntries { get; init; } = 10;

    internal void Validate()
    {
        if (!(Step > 0) || !double.IsFinite(Step) || !(RelativeTolerance > 0) || !(Floor > 0) || WorstEntries < 1)
        {
            throw new ArgumentOutOfRangeException(
                nameof(GradientCheckOptions), "GradientCheckOptions: Step, RelativeTolerance and Floor must be positive and finite, WorstEntries at least 1.");
        }
    }
}
