using System.Numerics;
using NeuralNet.Compute;

namespace NeuralNet.Data;

/// <content>The dataset as an <see cref="IDataSource{T}"/>: the trainer reads its batches through it.</content>
public sealed partial class Dataset<T> : IDataSource<T>
{
    /// <summary>The shape of one sample is not stored in a dataset; the trainer takes it from the network's input shape.</summary>
    Shape? IDataSource<T>.SampleShape => null;

    /// <summary>Target values per sample (0 for a classification dataset).</summary>
    int IDataSource<T>.TargetCount => Targets?.RowCount ?? 0;

    /// <inheritdoc />
    void IDataSource<T>.ReadSamples(ReadOnlySpan<int> indices, Span<T> features, Span<int> labels, Span<T> targets)
    {
        SampleRead.CheckDestinations(indices.Length, FeatureCount, ClassCount, Targets?.RowCount ?? 0, features, labels, targets);
        T[] from = DenseStorage.Of(Features, "features");
        int rows = FeatureCount;
        int[]? labelArray = LabelArray;
        T[]? targetArray = Targets is null ? null : DenseStorage.Of(Targets, "targets");
        int targetRows = Targets?.RowCount ?? 0;
        for (int j = 0; j < indices.Length; j++)
        {
            int index = indices[j];
            SampleRead.CheckIndex(index, Count, nameof(indices));
            from.AsSpan(index * rows, rows).CopyTo(features.Slice(j * rows, rows));
            if (labelArray is not null)
            {
                labels[j] = labelArray[index];
            }
            else
            {
                targetArray.AsSpan(index * targetRows, targetRows).CopyTo(targets.Slice(j * targetRows, targetRows));
            }
        }
    }
}
