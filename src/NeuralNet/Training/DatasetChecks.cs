using System.Numerics;
using NeuralNet.Data;
using NeuralNet.Losses;

namespace NeuralNet.Training;

/// <summary>Refuses, before anything is trained, a dataset that does not fit the network and loss or holds NaN or ∞.</summary>
internal static class DatasetChecks
{
    /// <exception cref="ArgumentException">The set is empty, has the wrong shape, labels or targets for the loss, or non-finite values; names <paramref name="parameterName"/>.</exception>
    public static void Check<T>(Network<T> network, ILoss<T> loss, Dataset<T> data, string parameterName)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(data, parameterName);
        if (data.Count == 0)
        {
            throw new ArgumentException($"The {parameterName} set is empty.", parameterName);
        }

        if (network.InputSize is int inputs && data.FeatureCount != inputs)
        {
            throw new ArgumentException(
                $"The {parameterName} set has {data.FeatureCount} features per sample but the network's first layer {network.Layers[0].Name} expects {inputs}.",
                parameterName);
        }

        if (data.LabelArray is int[] labels)
        {
            CheckLabels(network, loss, labels, parameterName);
        }
        else if (network.OutputSize is int width && data.Targets!.RowCount != width)
        {
            throw new ArgumentException(
                $"The {parameterName} set has {data.Targets.RowCount} targets per sample but the network has {width} outputs.", parameterName);
        }

        Network<T>.CheckFinite(data.Features, parameterName);
        if (data.Targets is not null)
        {
            Network<T>.CheckFinite(data.Targets, parameterName);
        }
    }

    /// <summary>
    /// The sizes of a source other than a <see cref="Dataset{T}"/>: its values are not scanned up front (they may not
    /// fit in memory); a source's labels are in <c>[0, ClassCount)</c> by contract.
    /// </summary>
    /// <exception cref="ArgumentException">The source is empty, its sample size or class or target count does not fit the network or loss; names <paramref name="parameterName"/>.</exception>
    public static void CheckSource<T>(Network<T> network, ILoss<T> loss, IDataSource<T> data, string parameterName)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (data.Count <= 0)
        {
            throw new ArgumentException($"The {parameterName} source {data} is empty.", parameterName);
        }

        if (network.InputSize is int inputs && data.FeatureCount != inputs)
        {
            throw new ArgumentException(
                $"The {parameterName} source {data} has {data.FeatureCount} features per sample but the network's first layer {network.Layers[0].Name} expects {inputs}.",
                parameterName);
        }

        if ((data.ClassCount > 0) == (data.TargetCount > 0))
        {
            throw new ArgumentException(
                $"The {parameterName} source {data} has {data.ClassCount} classes and {data.TargetCount} targets per sample; exactly one of the two must be positive.", parameterName);
        }

        if (data.ClassCount > 0)
        {
            if (network.OutputSize is int classes && data.ClassCount > classes)
            {
                throw new ArgumentException(
                    $"The {parameterName} source {data} has {data.ClassCount} classes but the network has {classes} outputs.", parameterName);
            }

            if (!loss.TakesClassLabels)
            {
                throw new ArgumentException(
                    $"{loss.Name} needs target values but the {parameterName} source has class labels; use CrossEntropyLoss, or a source with targets.", parameterName);
            }
        }
        else if (network.OutputSize is int width && data.TargetCount != width)
        {
            throw new ArgumentException(
                $"The {parameterName} source {data} has {data.TargetCount} targets per sample but the network has {width} outputs.", parameterName);
        }
    }

    private static void CheckLabels<T>(Network<T> network, ILoss<T> loss, int[] labels, string parameterName)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (network.OutputSize is int classes)
        {
            for (int j = 0; j < labels.Length; j++)
            {
                if (labels[j] >= classes)
                {
                    throw new ArgumentOutOfRangeException(
                        parameterName, labels[j], $"Label {labels[j]} of sample {j} in the {parameterName} set is outside the network's {classes} outputs.");
                }
            }
        }

        if (!loss.TakesClassLabels)
        {
            throw new ArgumentException(
                $"{loss.Name} needs target values but the {parameterName} set has class labels; use CrossEntropyLoss, or a dataset with targets.",
                parameterName);
        }
    }
}
