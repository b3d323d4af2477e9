using System.Numerics;
using NeuralNet.Data;
using NeuralNet.Losses;

namespace NeuralNet.Training;

/// <summary>
/// The training and validation sets of one run: each checked against the network and loss, the validation split
/// applied, and the options that depend on the data (batch statistics, early stopping's metric) checked, all before
/// anything is trained.
/// </summary>
internal static class RunData
{
    public static (IDataSource<T> Training, Dataset<T>? Validation) Prepare<T>(
        Network<T> network, ILoss<T> loss, TrainerOptions options, IDataSource<T> training, Dataset<T>? validation)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(training);
        return training is Dataset<T> inMemory ? Prepare(network, loss, options, inMemory, validation) : PrepareSource(network, loss, options, training, validation);
    }

    private static (IDataSource<T> Training, Dataset<T>? Validation) Prepare<T>(
        Network<T> network, ILoss<T> loss, TrainerOptions options, Dataset<T> training, Dataset<T>? validation)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        DatasetChecks.Check(network, loss, training, nameof(training));
        if (validation is not null)
        {
            DatasetChecks.Check(network, loss, validation, nameof(validation));
        }

        IReadOnlyList<string>? classNames = ClassNameAdoption.Check(network, training, validation);
        (training, validation) = ApplyValidationSplit(options, training, validation);
        CheckBatchStatistics(network, options, training.Count);
        CheckEarlyStopping(options, validation);
        if (classNames is not null)
        {
            network.ClassNames = classNames;
        }

        return (training, validation);
    }

    /// <summary>
    /// A source other than an in-memory dataset: its sizes are checked here, its values as they are read. A validation
    /// split needs the held-out samples in memory, so it is refused: pass the validation set.
    /// </summary>
    private static (IDataSource<T> Training, Dataset<T>? Validation) PrepareSource<T>(
        Network<T> network, ILoss<T> loss, TrainerOptions options, IDataSource<T> training, Dataset<T>? validation)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        DatasetChecks.CheckSource(network, loss, training, nameof(training));
        if (validation is not null)
        {
            DatasetChecks.Check(network, loss, validation, nameof(validation));
        }

        if (options.ValidationSplit != 0)
        {
            throw new ArgumentException(
                $"Trainer: ValidationSplit = {options.ValidationSplit} splits an in-memory Dataset, but the training data is a {training.GetType().Name}; pass a validation Dataset to Fit instead.",
                nameof(training));
        }

        CheckBatchStatistics(network, options, training.Count);
        CheckEarlyStopping(options, validation);
        return (training, validation);
    }

    private static (Dataset<T> Training, Dataset<T>? Validation) ApplyValidationSplit<T>(TrainerOptions options, Dataset<T> training, Dataset<T>? validation)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (options.ValidationSplit == 0)
        {
            return (training, validation);
        }

        if (validation is not null)
        {
            throw new ArgumentException(
                $"Trainer: both a validation set and ValidationSplit = {options.ValidationSplit} were given; use one or the other.", nameof(validation));
        }

        // Same rounding as Dataset.Split, which sizes the first (kept) part.
        int held = training.Count - (int)Math.Round(training.Count * (1 - options.ValidationSplit));
        if (held < 1 || held >= training.Count)
        {
            throw new ArgumentException(
                $"Trainer: ValidationSplit = {options.ValidationSplit} of {training.Count} samples leaves {training.Count - held} for training and {held} for validation; both need at least one.",
                nameof(training));
        }

        (Dataset<T> kept, Dataset<T> heldOut) = training.Split(1 - options.ValidationSplit, options.Seed);
        return (kept, heldOut);
    }

    /// <summary>
    /// Refuses up front a split whose last batch would hold one sample when a layer needs two (batch normalization),
    /// rather than failing after the earlier batches have changed the network.
    /// </summary>
    private static void CheckBatchStatistics<T>(Network<T> network, TrainerOptions options, int count)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int batchSize = Math.Min(options.BatchSize, count);
        if ((batchSize == 1 || count % batchSize == 1) && LayerQueries.NeedsTwoSamplesPerBatch(network, out string? layerName))
        {
            throw new ArgumentException(
                $"The network has {layerName}, which needs at least 2 samples per batch, but {count} training samples in batches of {batchSize} leave a last batch of 1. Change the batch size or the number of samples.");
        }
    }

    private static void CheckEarlyStopping<T>(TrainerOptions options, Dataset<T>? validation)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (options.EarlyStopping is not EarlyStopping rule || rule.Monitor == MonitoredMetric.TrainingLoss)
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
