using System.Globalization;

namespace NeuralNet.Schedules;

/// <summary>
/// A linear ramp of the rate over the first <c>W</c> steps, then another schedule restarted at its step 0.
/// Two ramps are offered:
/// <list type="bullet">
/// <item><description><c>new LinearWarmupSchedule(W, after)</c>: <c>η(t) = η₀ · (t + 1) / W</c> for <c>t &lt; W</c>
/// (from <c>η₀/W</c>, so that no step is wasted, to <c>η₀</c> at the last ramp step), then
/// <c>η(t) = after(η₀, t − W)</c>.</description></item>
/// <item><description><c>LinearWarmupSchedule.FromFactors(startFactor, endFactor, W, after)</c>: PyTorch's
/// <c>LinearLR(start_factor, end_factor, total_iters=W)</c>,
/// <c>η(t) = η₀ · (s + (e − s) · t / W)</c> for <c>t &lt; W</c>, then <c>η(t) = after(e · η₀, t − W)</c>; without
/// <c>after</c> the rate stays at <c>e · η₀</c>, exactly like <c>LinearLR</c>.</description></item>
/// </list>
/// </summary>
/// <remarks>
/// Compose it with a decay, e.g. <c>new LinearWarmupSchedule(5, new CosineAnnealingSchedule(epochs - 5))</c>. With
/// <c>endFactor</c> 1, <c>LinearWarmupSchedule.FromFactors(s, 1, W, after)</c> is PyTorch's
/// <c>SequentialLR([LinearLR(s, 1, W), after], milestones=[W])</c>.
/// </remarks>
public sealed class LinearWarmupSchedule : ILearningRateSchedule
{
    // True for PyTorch's LinearLR ramp (reaches EndFactor at step W); false for the (t + 1)/W ramp (reaches 1 at W − 1).
    private readonly bool linearLR;

    /// <summary>Creates the schedule with the ramp <c>η₀ · (t + 1) / W</c>.</summary>
    /// <param name="warmupSteps">Length <c>W</c> of the ramp; at least 1.</param>
    /// <param name="after">The schedule that takes over after the ramp; <see langword="null"/> for a constant <c>η₀</c>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="warmupSteps"/> is below 1.</exception>
    public LinearWarmupSchedule(int warmupSteps, ILearningRateSchedule? after = null)
    {
        WarmupSteps = ScheduleChecks.PositiveCount(nameof(LinearWarmupSchedule), nameof(warmupSteps), warmupSteps);
        After = after ?? new ConstantSchedule();
        StartFactor = 1.0 / warmupSteps;
        EndFactor = 1;
    }

    /// <summary>
    /// PyTorch's <c>LinearLR(start_factor, end_factor, total_iters=W)</c>: <c>η₀ · (s + (e − s) · t / W)</c> for
    /// <c>t &lt; W</c>; then <c>e · η₀</c>, or <paramref name="after"/> started at its step 0 from the base rate <c>e · η₀</c>.
    /// </summary>
    /// <param name="startFactor">Factor <c>s</c> of <c>η₀</c> at step 0; in (0, 1] (PyTorch's default is 1/3).</param>
    /// <param name="endFactor">Factor <c>e</c> of <c>η₀</c> reached at step <c>W</c>; in [0, 1] (PyTorch's default is 1).</param>
    /// <param name="warmupSteps">Length <c>W</c> of the ramp (PyTorch's <c>total_iters</c>); at least 1.</param>
    /// <param name="after">
    /// The schedule that takes over at step <c>W</c>, with the base rate <c>e · η₀</c>; <see langword="null"/> to stay at
    /// <c>e · η₀</c> as <c>LinearLR</c> does.
    /// </param>
    /// <returns>The schedule.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public static LinearWarmupSchedule FromFactors(double startFactor, double endFactor, int warmupSteps, ILearningRateSchedule? after = null) =>
        new(startFactor, endFactor, warmupSteps, after);

    private LinearWarmupSchedule(double startFactor, double endFactor, int warmupSteps, ILearningRateSchedule? after)
    {
        StartFactor = ScheduleChecks.PositiveFactor(nameof(LinearWarmupSchedule), nameof(startFactor), startFactor);
        if (!(endFactor >= 0 && endFactor <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(endFactor), endFactor, $"LinearWarmupSchedule: endFactor must be in [0, 1], got {endFactor}.");
        }

        EndFactor = endFactor;
        WarmupSteps = ScheduleChecks.PositiveCount(nameof(LinearWarmupSchedule), nameof(warmupSteps), warmupSteps);
        After = after ?? new ConstantSchedule();
        linearLR = true;
    }

    /// <summary>Length <c>W</c> of the ramp.</summary>
    public int WarmupSteps { get; }

    /// <summary>Factor of <c>η₀</c> at step 0: <c>1/W</c> for the <c>(t + 1)/W</c> ramp, else the given start factor.</summary>
    public double StartFactor { get; }

    /// <summary>Factor of <c>η₀</c> at the end of the ramp, and of the base rate handed to <see cref="After"/>: 1 for the <c>(t + 1)/W</c> ramp.</summary>
    public double EndFactor { get; }

    /// <summary>The schedule that follows the ramp.</summary>
    public ILearningRateSchedule After { get; }

    /// <inheritdoc />
    public double GetLearningRate(double initialRate, int step)
    {
        ScheduleChecks.Step(nameof(LinearWarmupSchedule), initialRate, step);
        if (step >= WarmupSteps)
        {
            return After.GetLearningRate(initialRate * EndFactor, step - WarmupSteps);
        }

        if (linearLR)
        {
            return initialRate * (StartFactor + ((EndFactor - StartFactor) * step / WarmupSteps));
        }

        // The (t + 1)/W ramp in its own form, so that its rates are the exact quotients they always were; only when
        // η₀ · (t + 1) overflows (η₀ near double's largest) the fraction first.
        double rate = initialRate * (step + 1) / WarmupSteps;
        return double.IsFinite(rate) ? rate : initialRate * ((step + 1) / (double)WarmupSteps);
    }

    /// <inheritdoc />
    public override string ToString() => linearLR
        ? string.Create(CultureInfo.InvariantCulture, $"LinearWarmup({WarmupSteps} steps from {StartFactor}·η₀ to {EndFactor}·η₀, then {After})")
        : string.Create(CultureInfo.InvariantCulture, $"LinearWarmup({WarmupSteps} steps, then {After})");
}
