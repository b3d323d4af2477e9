using System.Numerics;

namespace NeuralNet.Data;

/// <summary>
/// A data augmentation applied to each training sample in place, after the batch is gathered and before the
/// forward pass (torchvision's transforms, Keras's preprocessing layers): list them in
/// <see cref="Training.TrainerOptions.Augmentation"/>. The trainer applies them while training only, never in
/// <c>Evaluate</c>, validation or <c>Predict</c>.
/// </summary>
/// <remarks>
/// Randomness comes only from the <c>randomBits</c> argument of <see cref="Apply"/>: 64 uniform bits the trainer
/// draws for each (sample, transform) from <see cref="Training.TrainerOptions.Seed"/> and the sample's epoch, batch
/// and column, so an augmented run is bit-reproducible, independent of thread timing, and resumable from a checkpoint.
/// A transform allocates nothing in <see cref="Apply"/> and keeps no state between calls (it may run on the trainer's
/// batch-assembly thread).
/// </remarks>
public interface ISampleTransform
{
    /// <summary>Refuses a sample shape the transform cannot work on; called once before training starts.</summary>
    /// <param name="sampleShape">The shape of one sample, e.g. <c>(1, 28, 28)</c>.</param>
    /// <exception cref="ArgumentException">The transform does not fit the shape; the message names both.</exception>
    void CheckShape(Shape sampleShape);

    /// <summary>Transforms one sample in place.</summary>
    /// <param name="sample">The sample's <c>sampleShape.Size</c> values, in the row-major order of the shape.</param>
    /// <param name="sampleShape">The shape of the sample, already accepted by <see cref="CheckShape"/>.</param>
    /// <param name="randomBits">64 uniform random bits for this sample and transform.</param>
    /// <typeparam name="T">Element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    void Apply<T>(Span<T> sample, Shape sampleShape, ulong randomBits)
        where T : unmanaged, IFloatingPointIeee754<T>;
}
