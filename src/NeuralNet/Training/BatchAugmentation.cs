using System.Numerics;
using NeuralNet.Data;

namespace NeuralNet.Training;

/// <summary>
/// The <see cref="TrainerOptions.Augmentation"/> of a run, checked against the sample shape, applied in place to each
/// gathered batch: for every sample (column), every transform in list order, with the bits of draw
/// <c>column · transforms + transform</c> of the batch's key.
/// </summary>
internal sealed class BatchAugmentation
{
    private readonly ISampleTransform[] transforms;
    private readonly Shape shape;
    private readonly int seed;

    private BatchAugmentation(ISampleTransform[] transforms, Shape shape, int seed)
    {
        this.transforms = transforms;
        this.shape = shape;
        this.seed = seed;
    }

    /// <summary>
    /// The run's augmentation, or <see langword="null"/> without one. The sample shape is the network's input shape when
    /// it has more than one dimension, else the source's <see cref="IDataSource{T}.SampleShape"/>, else <c>(features)</c>
    /// (both have <c>FeatureCount</c> elements, checked before).
    /// </summary>
    /// <exception cref="ArgumentException">A transform does not fit the sample shape (its message names both).</exception>
    public static BatchAugmentation? Create<T>(TrainerOptions options, Network<T> network, IDataSource<T> training)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (options.Augmentation is not { Count: > 0 } list)
        {
            return null;
        }

        Shape shape = network.InputShape is { Rank: > 1 } image ? image : training.SampleShape ?? Shape.Vector(training.FeatureCount);
        ISampleTransform[] transforms = [.. list];
        foreach (ISampleTransform transform in transforms)
        {
            transform.CheckShape(shape);
        }

        return new BatchAugmentation(transforms, shape, options.Seed);
    }

    /// <summary>Transforms the first <paramref name="count"/> samples of <paramref name="batch"/>, batch <paramref name="batchNumber"/> of <paramref name="epoch"/>.</summary>
    public void Apply<T>(Span<T> batch, int count, int epoch, int batchNumber)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ulong key = AugmentationBits.BatchKey(seed, epoch, batchNumber);
        int size = shape.Size;
        long draw = 0;
        for (int j = 0; j < count; j++)
        {
            Span<T> sample = batch.Slice(j * size, size);
            foreach (ISampleTransform transform in transforms)
            {
                transform.Apply(sample, shape, AugmentationBits.Draw(key, draw++));
            }
        }
    }
}
