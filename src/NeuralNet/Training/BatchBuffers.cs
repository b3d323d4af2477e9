using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Compute;
using NeuralNet.Data;

namespace NeuralNet.Training;

/// <summary>
/// One reused set of batch buffers: the inputs (one sample per column), labels or targets, filled from an
/// <see cref="IDataSource{T}"/> without allocating once every batch size has been seen.
/// </summary>
internal sealed class BatchBuffers<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly IDataSource<T> source;
    private readonly int[]? labels;
    private readonly MatrixCache<T> inputs = new();
    private readonly MatrixCache<T> targetBuffers = new();

    /// <param name="source">The training samples.</param>
    /// <param name="batchSize">The largest batch.</param>
    public BatchBuffers(IDataSource<T> source, int batchSize)
    {
        this.source = source;
        labels = source.ClassCount > 0 ? new int[batchSize] : null;
        Input = inputs.Get(source.FeatureCount, batchSize);
    }

    /// <summary>The gathered batch, <c>features × batch</c>.</summary>
    public Matrix<T> Input { get; private set; }

    /// <summary>The gathered batch's class labels, or empty for regression.</summary>
    public ReadOnlyMemory<int> Labels { get; private set; }

    /// <summary>The gathered batch's targets, or <see langword="null"/> for classification.</summary>
    public Matrix<T>? Targets { get; private set; }

    /// <summary>Reads the samples at <paramref name="indices"/> into the buffers, one per column, with their labels or targets.</summary>
    public void Gather(ReadOnlySpan<int> indices)
    {
        Input = inputs.Get(source.FeatureCount, indices.Length);
        Span<T> targets = default;
        if (labels is null)
        {
            Targets = targetBuffers.Get(source.TargetCount, indices.Length);
            targets = DenseStorage.Of(Targets, "targets");
        }

        source.ReadSamples(indices, DenseStorage.Of(Input, "input"), labels, targets);
        Labels = labels is null ? ReadOnlyMemory<int>.Empty : labels.AsMemory(0, indices.Length);
    }
}
