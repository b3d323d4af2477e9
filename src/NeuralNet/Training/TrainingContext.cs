using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Optimizers;

namespace NeuralNet.Training;

/// <summary>
/// What a <see cref="ITrainingCallback{T}"/> sees: where training is, the current batch, and a way to stop.
/// One instance per <see cref="Trainer{T}.Fit"/>, updated in place before each callback.
/// </summary>
/// <typeparam name="T">Element type of the network being trained.</typeparam>
public sealed class TrainingContext<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private TrainingStopReason stopReason;

    internal TrainingContext(Network<T> network, IOptimizer<T> optimizer, TrainingHistory history, int epochs = 1, int batchesPerEpoch = 1)
    {
        Network = network;
        Optimizer = optimizer;
        History = history;
        Epochs = epochs;
        BatchesPerEpoch = batchesPerEpoch;
    }

    /// <summary>The run's last epoch, <see cref="TrainerOptions.Epochs"/> (early stopping or <see cref="Stop"/> may end it sooner).</summary>
    public int Epochs { get; }

    /// <summary>The number of batches in a full epoch: the training samples divided by the batch size, rounded up.</summary>
    public int BatchesPerEpoch { get; }

    /// <summary>The network being trained (its weights are live: save them from here).</summary>
    public Network<T> Network { get; }

    /// <summary>The optimizer; its <see cref="IOptimizer{T}.LearningRate"/> is the rate of the current (or last) step.</summary>
    public IOptimizer<T> Optimizer { get; }

    /// <summary>The results of the epochs finished so far.</summary>
    public TrainingHistory History { get; }

    /// <summary>The current epoch, from 1.</summary>
    public int Epoch { get; private set; }

    /// <summary>The batch within the epoch, from 1 (0 at epoch start; at epoch end: the number of batches run).</summary>
    public int Batch { get; private set; }

    /// <summary>Number of samples in the current (or last) batch.</summary>
    public int BatchSize { get; private set; }

    /// <summary>Mean loss of the current batch (before its update), from <see cref="ITrainingCallback{T}.OnBeforeOptimizerStep"/> on; until then, the previous batch's.</summary>
    public double BatchLoss { get; internal set; }

    /// <summary>
    /// The network's output for the current batch (<c>outputs × BatchSize</c>), from
    /// <see cref="ITrainingCallback{T}.OnBeforeOptimizerStep"/> to <see cref="ITrainingCallback{T}.OnBatchEnd"/>;
    /// <see langword="null"/> before the first batch. A buffer the next batch overwrites: copy what you keep.
    /// </summary>
    public Matrix<T>? BatchOutput { get; internal set; }

    /// <summary>The class labels of the current batch's samples, in column order; empty for regression. Reused by the next batch.</summary>
    public ReadOnlyMemory<int> BatchLabels { get; internal set; }

    /// <summary>The target values of the current batch (<c>outputs × BatchSize</c>), or <see langword="null"/> for classification. Reused by the next batch.</summary>
    public Matrix<T>? BatchTargets { get; internal set; }

    /// <summary>
    /// Global L2 norm <c>‖g‖ = √(Σ over all parameters of Σ gᵢ²)</c> of the current batch's gradient before clipping, or
    /// <see langword="null"/> when <see cref="TrainerOptions.GradientClipNorm"/> is off (the norm is then not computed).
    /// </summary>
    public double? GradientNorm { get; internal set; }

    /// <summary>The finished epoch's result during <see cref="ITrainingCallback{T}.OnEpochEnd"/>; <see langword="null"/> during batches.</summary>
    public EpochResult? EpochResult { get; internal set; }

    /// <summary>Whether <see cref="Stop"/> has been called (or early stopping has ended the run).</summary>
    public bool StopRequested { get; private set; }

    /// <summary>Why the run is ending, once <see cref="StopRequested"/>: the first request wins.</summary>
    internal TrainingStopReason StopReason => StopRequested ? stopReason : TrainingStopReason.Completed;

    /// <summary>
    /// Ends training: called during an epoch (at its start, or in a batch hook), the epoch ends after the current batch
    /// (its result covers the batches run); called at an epoch end, no further epoch starts. <see cref="TrainingHistory.StopReason"/> becomes <see cref="TrainingStopReason.Callback"/>.
    /// </summary>
    public void Stop() => RequestStop(TrainingStopReason.Callback);

    /// <summary>Ends training for <paramref name="reason"/>, unless it is already ending.</summary>
    internal void RequestStop(TrainingStopReason reason)
    {
        if (!StopRequested)
        {
            stopReason = reason;
            StopRequested = true;
        }
    }

    /// <summary>Moves to the start of <paramref name="epoch"/>: no batch run yet, no result.</summary>
    internal void StartEpoch(int epoch)
    {
        Epoch = epoch;
        Batch = 0;
        EpochResult = null;
    }

    /// <summary>Moves to the next batch of the epoch, of <paramref name="size"/> samples.</summary>
    internal void StartBatch(int size)
    {
        Batch++;
        BatchSize = size;
    }
}
