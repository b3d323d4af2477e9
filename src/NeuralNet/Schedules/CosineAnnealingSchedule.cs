using System.Globalization;

namespace NeuralNet.Schedules;

/// <summary>
/// Half a cosine from <c>η₀</c> down to <c>η_min</c> over <c>T</c> steps:
/// <c>η(t) = η_min + (η₀ − η_min) · (1 + cos(π · t / T)) / 2</c>. After <c>T</c> the rate stays at <c>η_min</c> (the
/// default), or, with <see cref="ContinueCosine"/>, the cosine goes on and rises back to <c>η₀</c> at <c>2T</c>, as
/// PyTorch's <c>CosineAnnealingLR</c> does.
/// </summary>
/// <remarks>
/// For <c>t ≤ T</c> both behaviours are the closed form of PyTorch's <c>CosineAnnealingLR(optimizer, T_max=T,
/// eta_min=η_min)</c>. Past <c>T</c> PyTorch keeps evaluating the same cosine (period <c>2T</c>: up to <c>η₀</c> at
/// <c>2T</c>, down again at <c>3T</c>, …); this schedule, by default, holds <c>η_min</c>, which is what a run
/// longer than planned usually wants. Set <see cref="ContinueCosine"/> to reproduce PyTorch step for step.
/// </remarks>
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

    /// <summary>
    /// What happens after step <c>T</c>: <see langword="false"/> (the default) holds <c>η_min</c>;
    /// <see langword="true"/> keeps following the cosine, back up to <c>η₀</c> at <c>2T</c> and down again, like
    /// PyTorch's <c>CosineAnnealingLR</c>.
    /// </summary>
    public bool ContinueCosine { get; init; }

    /// <inheritdoc />
    public double GetLearningRate(double initialRate, int step)
    {
        ScheduleChecks.Step(nameof(CosineAnnealingSchedule), initialRate, step);

        // cos(π·t/T) has period 2T: reduce t first, so that huge steps lose no precision.
        long t = ContinueCosine ? step % (2L * Period) : Math.Min(step, Period);
        double progress = t / (double)Period;

        // The weight first, in [0, 1], so the rate stays between η₀ and η_min even when they are near double's largest.
        double weight = (1 + Math.Cos(Math.PI * progress)) / 2;
        return MinimumRate + ((initialRate - MinimumRate) * weight);
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"CosineAnnealing(over {Period}, down to {MinimumRate}{(ContinueCosine ? ", then the cosine continues" : string.Empty)})");
}
