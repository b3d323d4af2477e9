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

    /// <summary>
    /// Fails before the first epoch, rather than after it, when no checkpoint could be written: every layer must be
    /// savable, and the file's folder must exist and accept a new file (probed with a temporary file, deleted again).
    /// </summary>
    /// <exception cref="NotSupportedException">A layer cannot be saved.</exception>
    /// <exception cref="IOException">The folder is missing, <paramref name="path"/> is a folder, or the folder cannot be written; names the path.</exception>
    public static void CheckTarget(Network<T> network, string path)
    {
        LayerQueries.CheckSavable(network);
        string fullPath = Path.GetFullPath(path);
        string? folder = Path.GetDirectoryName(fullPath);
        if (folder is null || !Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"Trainer: the checkpoint path '{path}' is in a folder that does not exist ({folder}); create it first.");
        }

        if (Directory.Exists(fullPath))
        {
            throw new IOException($"Trainer: the checkpoint path '{path}' is a folder; give a file name.");
        }

        try
        {
            // The same kind of file an atomic save writes first, in the same folder.
            string probe = Path.Combine(folder, $".nnet-{Guid.NewGuid():N}.tmp");
            using var stream = new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"Trainer: cannot write the checkpoint '{path}': {e.Message}", e);
        }
    }

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
