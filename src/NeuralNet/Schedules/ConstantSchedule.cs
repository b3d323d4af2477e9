namespace NeuralNet.Schedules;

/// <summary>The same rate at every step: <c>η(t) = η₀</c>.</summary>
public sealed class ConstantSchedule : ILearningRateSchedule
{
    /// <inheritdoc />
    public double GetLearningRate(double initialRate, int step)
    {
        ScheduleChecks.Step(nameof(ConstantSchedule), initialRate, step);
        return initialRate;
    }

    /// <inheritdoc />
    public override string ToString() => "Constant";
}
