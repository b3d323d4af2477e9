namespace NeuralNet.Training;

/// <summary>Reads a <see cref="MonitoredMetric"/> from an epoch's result for the callbacks that watch one.</summary>
internal static class MetricReader
{
    /// <summary>Whether a larger value is better (accuracy), rather than a smaller one (losses).</summary>
    public static bool HigherIsBetter(MonitoredMetric metric) => metric == MonitoredMetric.ValidationAccuracy;

    /// <summary>The value of <paramref name="metric"/> in <paramref name="result"/>.</summary>
    /// <exception cref="InvalidOperationException">The epoch has no such value (no validation set, or no labels); names <paramref name="callback"/>.</exception>
    public static double Read(EpochResult result, MonitoredMetric metric, string callback)
    {
        double? value = metric switch
        {
            MonitoredMetric.ValidationLoss => result.ValidationLoss,
            MonitoredMetric.ValidationAccuracy => result.ValidationAccuracy,
            _ => result.TrainingLoss,
        };
        return value ?? throw new InvalidOperationException(
            $"{callback} monitors {metric} but epoch {result.Epoch} has none; pass a validation set to Fit (with class labels for accuracy), set TrainerOptions.ValidationSplit, or monitor TrainingLoss.");
    }

    /// <exception cref="ArgumentOutOfRangeException"><paramref name="metric"/> is not a defined value.</exception>
    public static MonitoredMetric Check(MonitoredMetric metric, string callback) =>
        Enum.IsDefined(metric) ? metric : throw new ArgumentOutOfRangeException("monitor", metric, $"{callback}: unknown metric.");
}
