using System.Numerics;
using NeuralNet.Compute;

namespace NeuralNet.Training;

/// <summary>
/// Makes batch <c>b</c> of epoch <c>e</c> in a <see cref="BatchBuffers{T}"/>: the samples at that place of the epoch's
/// order, gathered, then augmented. Epochs must be asked for in increasing order (the shuffle is replayed forward).
/// </summary>
internal sealed class BatchAssembler<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly ShuffleOrder order;
    private readonly int count;
    private readonly int batchSize;
    private readonly BatchAugmentation? augmentation;

    public BatchAssembler(ShuffleOrder order, int count, int batchSize, BatchAugmentation? augmentation)
    {
        this.order = order;
        this.count = count;
        this.batchSize = batchSize;
        this.augmentation = augmentation;
    }

    /// <summary>Fills <paramref name="buffers"/> with batch <paramref name="batch"/> (from 1) of <paramref name="epoch"/>.</summary>
    public void Assemble(BatchBuffers<T> buffers, int epoch, int batch)
    {
        int first = (batch - 1) * batchSize;
        int size = Math.Min(batchSize, count - first);
        buffers.Gather(order.ForEpoch(epoch).Slice(first, size));
        augmentation?.Apply<T>(DenseStorage.Of(buffers.Input, "input"), size, epoch, batch);
    }
}
