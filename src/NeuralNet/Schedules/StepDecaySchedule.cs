using System.Globalization;

namespace NeuralNet.Schedules;

/// <summary>
/// Multiplies the rate by <c>γ</c> every <c>s</c> steps: <c>η(t) = η₀ · γ^⌊t / s⌋</c>
/// (PyTorch's <c>StepLR</c>).
/// </summary>
public sealed class StepDecaySchedule : ILearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="stepSize">Steps <c>s</c> between decays; at least 1.</param>
    /// <param name="gamma">Factor <c>γ</c> applied at each decay; in (0, 1] (e.g. 0.1).</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public StepDecaySchedule(int stepSize, double gamma)
    {
        StepSize = ScheduleChecks.PositiveCount(nameof(StepDecaySchedule), nameof(stepSize), stepSize);
        Gamma = ScheduleChecks.PositiveFactor(nameof(StepDecaySchedule), nameof(gamma), gamma);
    }

    /// <summary>Steps <c>s</c> between decays.</summary>
    public int StepSize { get; }

    /// <summary>Decay factor <c>γ</c>.</summary>
    public double Gamma { get; }

    /// <inheritdoc />
    public double GetLearningRate(double initialRate, int step)
    {
        ScheduleChecks.Step(nameof(StepDecaySchedule), initialRate, step);
        return initialRate * Math.Pow(Gamma, step / StepSize);
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"StepDecay(every {StepSize}, γ {Gamma})");
}
