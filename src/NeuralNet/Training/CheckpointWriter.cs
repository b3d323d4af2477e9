using System.Numerics;
using NeuralNet.Serialization;

namespace NeuralNet.Training;

/// <summary>
/// Writes a <see cref="Checkpoint{T}"/> to <see cref="TrainerOptions.CheckpointPath"/> at the end of every epoch,
/// after the user's callbacks and early stopping have seen it (so it records whether training stops there), with the
/// trainer state that <see cref="Trainer{T}.Resume"/> needs.
/// </summary>
internal sealed class CheckpointWriter<T> : ITrainingCallback<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly string path;
    private readonly TrainerState settings;
    private readonly LearningRateScheduler<T>? scheduler;
    private readonly EarlyStoppingTracker<T>? earlyStopping;

    /// <param name="path">The checkpoint file, replaced atomically every epoch.</param>
    /// <param name="settings">The run's seed, shuffle flag, training-set size and batch size (the other fields are filled in per epoch).</param>
    /// <param name="scheduler">The learning-rate schedule, whose per-batch step is stored.</param>
    /// <param name="earlyStopping">Early stopping, whose progress is stored.</param>
    public CheckpointWriter(string path, TrainerState settings, LearningRateScheduler<T>? scheduler, EarlyStoppingTracker<T>? earlyStopping)
    {
        this.path = path;
        this.settings = settings;
        this.scheduler = scheduler;
        this.earlyStopping = earlyStopping;
    }

    /// <summary>Fails before the first epoch, rather than after it, when no checkpoint could be written.</summary>
    /// <exception cref="NotSupportedException">A layer cannot be saved.</exception>
    public static void CheckTarget(Network<T> network) => LayerQueries.CheckSavable(network);

    public void OnEpochEnd(TrainingContext<T> context)
    {
        TrainerState state = settings with
        {
            ScheduleStep = (ulong)(scheduler?.BatchStep ?? 0),
            LearningRate = context.Optimizer.LearningRate,
            Ended = context.StopRequested,
            HasEarlyStopping = earlyStopping is not null,
        };
        byte[] trainerState = state.ToBytes(earlyStopping?.State);
        Checkpoint<T>.Capture(context.Network, context.Optimizer, context.Epoch, trainerState).Save(path);
    }
}
