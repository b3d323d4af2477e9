using System.Numerics;
using NeuralNet.Data;

namespace NeuralNet.Training;

/// <content>Where the validation set comes from, and whether early stopping has what it monitors.</content>
public sealed partial class Trainer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private (Dataset<T> Training, Dataset<T>? Validation) ApplyValidationSplit(Dataset<T> training, Dataset<T>? validation)
    {
        if (Options.ValidationSplit == 0)
        {
            return (training, validation);
        }

        if (validation is not null)
        {
            throw new ArgumentException(
                $"Trainer: both a validation set and ValidationSplit = {Options.ValidationSplit} were given; use one or the other.", nameof(validation));
        }

        // Same rounding as Dataset.Split, which sizes the first (kept) part.
        int held = training.Count - (int)Math.Round(training.Count * (1 - Options.ValidationSplit));
        if (held < 1 || held >= training.Count)
        {
            throw new ArgumentException(
                $"Trainer: ValidationSplit = {Options.ValidationSplit} of {training.Count} samples leaves {training.Count - held} for training and {held} for validation; both need at least one.",
                nameof(training));
        }

        (Dataset<T> kept, Dataset<T> heldOut) = training.Split(1 - Options.ValidationSplit, Options.Seed);
        return (kept, heldOut);
    }

    private void CheckEarlyStopping(Dataset<T>? validation)
    {
        if (Options.EarlyStopping is not EarlyStopping rule || rule.Monitor == MonitoredMetric.TrainingLoss)
        {
            return;
        }

        if (validation is null)
        {
            throw new ArgumentException(
                $"Trainer: early stopping monitors {rule.Monitor} but there is no validation set; pass one to Fit, set ValidationSplit, or monitor TrainingLoss.",
                nameof(validation));
        }

        if (rule.Monitor == MonitoredMetric.ValidationAccuracy && !validation.IsClassification)
        {
            throw new ArgumentException("Trainer: early stopping monitors ValidationAccuracy but the validation set has no class labels.", nameof(validation));
        }
    }
}
