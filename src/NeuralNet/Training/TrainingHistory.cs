using System.Collections;

namespace NeuralNet.Training;

/// <summary>The per-epoch results of a training run, in order.</summary>
public sealed class TrainingHistory : IReadOnlyList<EpochResult>
{
    private readonly List<EpochResult> epochs = [];

    /// <inheritdoc />
    public int Count => epochs.Count;

    /// <summary>The last epoch's result.</summary>
    /// <exception cref="InvalidOperationException">No epoch has finished.</exception>
    public EpochResult Last => epochs.Count > 0 ? epochs[^1] : throw new InvalidOperationException("No epoch has finished yet.");

    /// <inheritdoc />
    public EpochResult this[int index] => epochs[index];

    /// <inheritdoc />
    public IEnumerator<EpochResult> GetEnumerator() => epochs.GetEnumerator();

    /// <inheritdoc />
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    internal void Add(EpochResult result) => epochs.Add(result);
}
