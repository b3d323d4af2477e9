using System.Numerics;

namespace NeuralNet.Data;

/// <summary>
/// Training samples the <see cref="Training.Trainer{T}"/> reads a batch at a time: an in-memory
/// <see cref="Dataset{T}"/>, a <see cref="SampleFile{T}"/> streamed from disk, or your own source (PyTorch's
/// map-style <c>Dataset</c>). A sample is <see cref="FeatureCount"/> values with a class label (classification) or
/// <see cref="TargetCount"/> target values (regression).
/// </summary>
/// <remarks>
/// The trainer calls <see cref="ReadSamples"/> from one thread at a time, possibly not the thread that called
/// <c>Fit</c> (see <see cref="Training.TrainerOptions.AssembleBatchesInBackground"/>). An implementation should
/// allocate nothing per call, so that training allocates nothing in steady state.
/// </remarks>
/// <typeparam name="T">Element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public interface IDataSource<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Number of samples.</summary>
    int Count { get; }

    /// <summary>Number of values per sample (the network's input size).</summary>
    int FeatureCount { get; }

    /// <summary>The shape of one sample, e.g. <c>(1, 28, 28)</c>, or <see langword="null"/> when the source does not know it.</summary>
    Shape? SampleShape { get; }

    /// <summary>Number of classes; every label is in <c>[0, ClassCount)</c>. 0 for a regression source.</summary>
    int ClassCount { get; }

    /// <summary>Number of target values per sample for a regression source; 0 for a classification source.</summary>
    int TargetCount { get; }

    /// <summary>
    /// Copies the samples at <paramref name="indices"/> into <paramref name="features"/>, one sample after the other
    /// (sample <c>j</c> at <c>j · FeatureCount</c>: the columns of a <c>features × batch</c> matrix), with their labels
    /// or targets.
    /// </summary>
    /// <param name="indices">Sample indices, each in <c>[0, Count)</c>.</param>
    /// <param name="features">At least <c>indices.Length · FeatureCount</c> values.</param>
    /// <param name="labels">At least <c>indices.Length</c> entries for a classification source; ignored (may be empty) otherwise.</param>
    /// <param name="targets">At least <c>indices.Length · TargetCount</c> values for a regression source; ignored (may be empty) otherwise.</param>
    /// <exception cref="ArgumentOutOfRangeException">An index is outside <c>[0, Count)</c>.</exception>
    /// <exception cref="ArgumentException">A destination is too short.</exception>
    void ReadSamples(ReadOnlySpan<int> indices, Span<T> features, Span<int> labels, Span<T> targets);
}
