namespace NeuralNet.Schedules;

/// <summary>Argument checks shared by the schedules; messages name the schedule, the setting and the value.</summary>
internal static class ScheduleChecks
{
    public static void Step(string schedule, double initialRate, int step)
    {
        if (!(initialRate >= 0) || !double.IsFinite(initialRate))
        {
            throw new ArgumentOutOfRangeException(nameof(initialRate), initialRate, $"{schedule}: the initial rate must be finite and non-negative, got {initialRate}.");
        }

        if (step < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(step), step, $"{schedule}: the step must be ≥ 0, got {step}.");
        }
    }

    public static double PositiveFactor(string schedule, string name, double value)
    {
        // A decay factor above 1 would grow the rate without bound (to ∞ after enough steps).
        if (!(value > 0 && value <= 1))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{schedule}: {name} must be in (0, 1], got {value}.");
        }

        return value;
    }

    public static int PositiveCount(string schedule, string name, int value)
    {
        if (value < 1)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{schedule}: {name} must be at least 1, got {value}.");
        }

        return value;
    }
}
