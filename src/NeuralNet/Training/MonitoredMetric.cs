namespace NeuralNet.Training;

/// <summary>The per-epoch quantity early stopping watches.</summary>
public enum MonitoredMetric
{
    /// <summary><see cref="EpochResult.ValidationLoss"/>; lower is better. Needs a validation set.</summary>
    ValidationLoss,

    /// <summary><see cref="EpochResult.ValidationAccuracy"/>; higher is better. Needs a labelled validation set.</summary>
    ValidationAccuracy,

    /// <summary><see cref="EpochResult.TrainingLoss"/>; lower is better.</summary>
    TrainingLoss,
}
