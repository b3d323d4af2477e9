using System.Globalization;

namespace NeuralNet.Schedules;

/// <summary>Multiplies the rate by <c>γ</c> at every step: <c>η(t) = η₀ · γᵗ</c> (PyTorch's <c>ExponentialLR</c>).</summary>
public sealed class ExponentialSchedule : ILearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="gamma">Factor <c>γ</c> per step; in (0, 1] (e.g. 0.95).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="gamma"/> is out of range.</exception>
    public ExponentialSchedule(double gamma)
    {
        Gamma = ScheduleChecks.PositiveFactor(nameof(ExponentialSchedule), nameof(gamma), gamma);
    }

    /// <summary>Decay factor <c>γ</c> per step.</summary>
    public double Gamma { get; }

    /// <inheritdoc />
    public double GetLearningRate(double initialRate, int step)
    {
        ScheduleChecks.Step(nameof(ExponentialSchedule), initialRate, step);
        return initialRate * Math.Pow(Gamma, step);
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"Exponential(γ {Gamma})");
}
