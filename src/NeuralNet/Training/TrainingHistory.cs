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

    /// <summary>Why the run ended (all epochs ran, early stopping, or a callback).</summary>
    public TrainingStopReason StopReason { get; internal set; }

    /// <summary>
    /// With <see cref="TrainerOptions.EarlyStopping"/>: the epoch (from 1) with the best monitored value, whose weights the
    /// network holds at the end when <see cref="EarlyStopping.RestoreBestWeights"/> is set; otherwise <see langword="null"/>.
    /// </summary>
    public int? BestEpoch { get; internal set; }

    /// <summary>
    /// The epoch (from 1) whose weights the network holds: the last finished epoch while training and after it, except
    /// that it becomes <see cref="BestEpoch"/> when early stopping restores the best weights at the end
    /// (<see cref="EarlyStopping.RestoreBestWeights"/>), whereas <see cref="Last"/> stays the last epoch run. For a
    /// <see cref="Trainer{T}.Resume"/> that runs no epoch, the checkpoint's epoch (or its best epoch, if restored).
    /// <see langword="null"/> before any epoch has finished.
    /// </summary>
    public int? WeightsEpoch { get; internal set; }

    internal void Add(EpochResult result) => epochs.Add(result);
}
