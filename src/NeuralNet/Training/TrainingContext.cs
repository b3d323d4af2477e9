using System.Numerics;
using NeuralNet.Optimizers;

namespace NeuralNet.Training;

/// <summary>
/// What a <see cref="ITrainingCallback{T}"/> sees: where training is, the last batch's loss, and a way to stop.
/// One instance per <see cref="Trainer{T}.Fit"/>, updated in place before each callback.
/// </summary>
/// <typeparam name="T">Element type of the network being trained.</typeparam>
public sealed class TrainingContext<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    internal TrainingContext(Network<T> network, IOptimizer<T> optimizer, TrainingHistory history)
    {
        Network = network;
        Optimizer = optimizer;
        History = history;
    }

    /// <summary>The network being trained (its weights are live: save them from here).</summary>
    public Network<T> Network { get; }

    /// <summary>The optimizer; its <see cref="IOptimizer{T}.LearningRate"/> is the rate of the last step.</summary>
    public IOptimizer<T> Optimizer { get; }

    /// <summary>The results of the epochs finished so far.</summary>
    public TrainingHistory History { get; }

    /// <summary>The current epoch, from 1.</summary>
    public int Epoch { get; internal set; }

    /// <summary>The batch within the epoch, from 1 (at epoch end: the number of batches run).</summary>
    public int Batch { get; internal set; }

    /// <summary>Number of samples in the last batch.</summary>
    public int BatchSize { get; internal set; }

    /// <summary>Mean loss of the last batch (before its update).</summary>
    public double BatchLoss { get; internal set; }

    /// <summary>
    /// Global L2 norm <c>‖g‖ = √(Σ over all parameters of Σ gᵢ²)</c> of the last batch's gradient before clipping, or
    /// <see langword="null"/> when <see cref="TrainerOptions.GradientClipNorm"/> is off (the norm is then not computed).
    /// </summary>
    public double? GradientNorm { get; internal set; }

    /// <summary>The finished epoch's result during <see cref="ITrainingCallback{T}.OnEpochEnd"/>; <see langword="null"/> during batches.</summary>
    public EpochResult? EpochResult { get; internal set; }

    /// <summary>Whether <see cref="Stop"/> has been called.</summary>
    public bool StopRequested { get; private set; }

    /// <summary>
    /// Ends training: called at a batch end, the current epoch ends after this batch (its result covers the batches run);
    /// called at an epoch end, no further epoch starts. <see cref="TrainingHistory.StopReason"/> becomes <see cref="TrainingStopReason.Callback"/>.
    /// </summary>
    public void Stop() => StopRequested = true;
}
