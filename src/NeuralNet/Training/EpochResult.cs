namespace NeuralNet.Training;

/// <summary>What one epoch of training measured.</summary>
/// <param name="Epoch">The epoch number, from 1.</param>
/// <param name="TrainingLoss">Loss per training sample over the epoch: each batch's mean weighted by its size, or, for a loss with
/// <see cref="Losses.Reduction.Sum"/>, the batches' sums divided by the number of samples.</param>
/// <param name="TrainingAccuracy">Fraction of training samples classified correctly during the epoch, or <see langword="null"/> for regression.</param>
/// <param name="ValidationLoss">Mean loss on the validation set after the epoch, or <see langword="null"/> without one.</param>
/// <param name="ValidationAccuracy">Accuracy on the validation set after the epoch, or <see langword="null"/>.</param>
/// <param name="Duration">Wall-clock time of the epoch, validation included.</param>
public sealed record EpochResult(
    int Epoch,
    double TrainingLoss,
    double? TrainingAccuracy,
    double? ValidationLoss,
    double? ValidationAccuracy,
    TimeSpan Duration)
{
    /// <summary>The optimizer's learning rate for the epoch's last batch (as set by a schedule, if any); <see langword="null"/> if not recorded.</summary>
    public double? LearningRate { get; init; }

    /// <inheritdoc />
    public override string ToString()
    {
        var text = new System.Text.StringBuilder();
        var culture = System.Globalization.CultureInfo.InvariantCulture;
        text.Append(culture, $"epoch {Epoch,3}: loss {TrainingLoss:F4}");
        if (TrainingAccuracy is double accuracy)
        {
            text.Append(culture, $", accuracy {accuracy:F4}");
        }

        if (ValidationLoss is double validationLoss)
        {
            text.Append(culture, $", validation loss {validationLoss:F4}");
        }

        if (ValidationAccuracy is double validationAccuracy)
        {
            text.Append(culture, $", validation accuracy {validationAccuracy:F4}");
        }

        text.Append(culture, $" ({Duration.TotalSeconds:F2} s)");
        return text.ToString();
    }
}
