using System.Globalization;

namespace NeuralNet.Schedules;

/// <summary>
/// A linear ramp over the first <c>W</c> steps, then another schedule restarted at its step 0:
/// <c>η(t) = η₀ · (t + 1) / W</c> for <c>t &lt; W</c>, and <c>η(t) = after(η₀, t − W)</c> for <c>t ≥ W</c>.
/// </summary>
/// <remarks>
/// The ramp starts at <c>η₀/W</c> rather than 0 so that no step is wasted, and reaches <c>η₀</c> at its last step.
/// Compose it with a decay, e.g. <c>new LinearWarmupSchedule(5, new CosineAnnealingSchedule(epochs - 5))</c>.
/// </remarks>
public sealed class LinearWarmupSchedule : ILearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="warmupSteps">Length <c>W</c> of the ramp; at least 1.</param>
    /// <param name="after">The schedule that takes over after the ramp; <see langword="null"/> for a constant <c>η₀</c>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="warmupSteps"/> is below 1.</exception>
    public LinearWarmupSchedule(int warmupSteps, ILearningRateSchedule? after = null)
    {
        WarmupSteps = ScheduleChecks.PositiveCount(nameof(LinearWarmupSchedule), nameof(warmupSteps), warmupSteps);
        After = after ?? new ConstantSchedule();
    }

    /// <summary>Length <c>W</c> of the ramp.</summary>
    public int WarmupSteps { get; }

    /// <summary>The schedule that follows the ramp.</summary>
    public ILearningRateSchedule After { get; }

    /// <inheritdoc />
    public double GetLearningRate(double initialRate, int step)
    {
        ScheduleChecks.Step(nameof(LinearWarmupSchedule), initialRate, step);
        if (step >= WarmupSteps)
        {
            return After.GetLearningRate(initialRate, step - WarmupSteps);
        }

        // η₀ · (t + 1) first, as always; only when that overflows (η₀ near double's largest) the fraction first.
        double rate = initialRate * (step + 1) / WarmupSteps;
        return double.IsFinite(rate) ? rate : initialRate * ((step + 1) / (double)WarmupSteps);
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"LinearWarmup({WarmupSteps} steps, then {After})");
}
