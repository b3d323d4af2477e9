using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Compute;
using NeuralNet.Data;

namespace NeuralNet.Training;

/// <summary>The reused input, label, target and gradient buffers of the training loop: a batch is gathered without allocating.</summary>
internal sealed class BatchBuffers<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] features;
    private readonly int featureCount;
    private readonly T[]? targetsSource;
    private readonly int targetCount;
    private readonly int[]? labelsSource;
    private readonly int[]? labels;
    private readonly MatrixCache<T> inputs = new();
    private readonly MatrixCache<T> targetBuffers = new();
    private readonly MatrixCache<T> gradients = new();

    /// <param name="data">The training set.</param>
    /// <param name="batchSize">The largest batch.</param>
    public BatchBuffers(Dataset<T> data, int batchSize)
    {
        features = DenseStorage.Of(data.Features, "features");
        featureCount = data.FeatureCount;
        labelsSource = data.LabelArray;
        labels = labelsSource is null ? null : new int[batchSize];
        if (data.Targets is not null)
        {
            targetsSource = DenseStorage.Of(data.Targets, "targets");
            targetCount = data.Targets.RowCount;
        }
    }

    /// <summary>The gathered batch's class labels (the first <c>BatchSize</c> entries), or empty for regression.</summary>
    public ReadOnlyMemory<int> Labels { get; private set; }

    /// <summary>The gathered batch's targets, or <see langword="null"/> for classification.</summary>
    public Matrix<T>? Targets { get; private set; }

    /// <summary>Copies the samples at <paramref name="indices"/> into the input buffer (one per column), with their labels or targets.</summary>
    public Matrix<T> Gather(ReadOnlySpan<int> indices)
    {
        Matrix<T> input = inputs.Get(featureCount, indices.Length);
        SampleCopy.Columns(features, featureCount, indices, DenseStorage.Of(input, "input"));
        if (labelsSource is not null)
        {
            for (int j = 0; j < indices.Length; j++)
            {
                labels![j] = labelsSource[indices[j]];
            }

            Labels = labels.AsMemory(0, indices.Length);
        }
        else
        {
            Targets = targetBuffers.Get(targetCount, indices.Length);
            SampleCopy.Columns(targetsSource!, targetCount, indices, DenseStorage.Of(Targets, "targets"));
        }

        return input;
    }

    /// <summary>The buffer the loss writes <c>∂L/∂output</c> into.</summary>
    public Matrix<T> OutputGradient(int rows, int columns) => gradients.Get(rows, columns);
}
