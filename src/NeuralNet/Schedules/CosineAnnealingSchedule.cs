using System.Globalization;

namespace NeuralNet.Schedules;

/// <summary>
/// Half a cosine from <c>η₀</c> down to <c>η_min</c> over <c>T</c> steps, then flat at <c>η_min</c>:
/// <c>η(t) = η_min + (η₀ − η_min) · (1 + cos(π · min(t, T) / T)) / 2</c>
/// (the closed form of PyTorch's <c>CosineAnnealingLR</c> for <c>t ≤ T</c>).
/// </summary>
public sealed class CosineAnnealingSchedule : ILearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="period">Steps <c>T</c> from <c>η₀</c> to <c>η_min</c>; at least 1 (usually the number of epochs or batches).</param>
    /// <param name="minimumRate">The final rate <c>η_min</c>; finite and ≥ 0. Default 0.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public CosineAnnealingSchedule(int period, double minimumRate = 0)
    {
        Period = ScheduleChecks.PositiveCount(nameof(CosineAnnealingSchedule), nameof(period), period);
        if (!(minimumRate >= 0) || !double.IsFinite(minimumRate))
        {
            throw new ArgumentOutOfRangeException(nameof(minimumRate), minimumRate, $"CosineAnnealingSchedule: the minimum rate must be finite and non-negative, got {minimumRate}.");
        }

        MinimumRate = minimumRate;
    }

    /// <summary>Steps <c>T</c> of the descent.</summary>
    public int Period { get; }

    /// <summary>The final rate <c>η_min</c>.</summary>
    public double MinimumRate { get; }

    /// <inheritdoc />
    public double GetLearningRate(double initialRate, int step)
    {
        ScheduleChecks.Step(nameof(CosineAnnealingSchedule), initialRate, step);
        double progress = Math.Min(step, Period) / (double)Period;

        // The weight first, in [0, 1], so the rate stays between η₀ and η_min even when they are near double's largest.
        double weight = (1 + Math.Cos(Math.PI * progress)) / 2;
        return MinimumRate + ((initialRate - MinimumRate) * weight);
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"CosineAnnealing(over {Period}, down to {MinimumRate})");
}
