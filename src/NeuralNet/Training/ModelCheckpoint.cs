using System.Numerics;

namespace NeuralNet.Training;

/// <summary>
/// Saves the network with <see cref="Network{T}.Save(string)"/> (atomically) at the end of an epoch whose monitored
/// metric improves (Keras's <c>ModelCheckpoint(save_best_only=True)</c>), or after every epoch.
/// </summary>
/// <remarks>
/// <para>
/// An epoch improves when its value is strictly better than the best so far (lower for losses, higher for accuracy);
/// the first epoch of a run always does. With <c>saveBestOnly</c>, the file therefore always holds the weights of the
/// best epoch so far, the same epoch early stopping would restore for the same metric. The file is a model file
/// (<see cref="Network{T}.Load(string)"/>), not a <see cref="Serialization.Checkpoint{T}"/>: to resume training, use
/// <see cref="TrainerOptions.CheckpointPath"/>.
/// </para>
/// <para>
/// Every layer must be savable and the file's folder must exist; both are checked when a run starts, before its first
/// batch. Each <see cref="Trainer{T}.Fit"/> or <see cref="Trainer{T}.Resume"/> starts afresh: the callback keeps no
/// checkpointed state, so after a resume the first resumed epoch counts as an improvement and overwrites the file.
/// </para>
/// </remarks>
/// <typeparam name="T">Element type of the network being trained.</typeparam>
public sealed class ModelCheckpoint<T> : ITrainingCallback<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private object? run;

    /// <summary>Creates the callback.</summary>
    /// <param name="path">The model file to write (replaced atomically each time); conventionally <c>*.nnet</c>.</param>
    /// <param name="monitor">The metric that decides the best epoch. Default <see cref="MonitoredMetric.ValidationLoss"/>.</param>
    /// <param name="saveBestOnly">Whether to save only when the metric improves (default) or after every epoch.</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="monitor"/> is not a defined value.</exception>
    public ModelCheckpoint(string path, MonitoredMetric monitor = MonitoredMetric.ValidationLoss, bool saveBestOnly = true)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = path;
        Monitor = MetricReader.Check(monitor, "ModelCheckpoint");
        SaveBestOnly = saveBestOnly;
    }

    /// <summary>The model file.</summary>
    public string Path { get; }

    /// <summary>The metric that decides the best epoch.</summary>
    public MonitoredMetric Monitor { get; }

    /// <summary>Whether the network is saved only when the metric improves.</summary>
    public bool SaveBestOnly { get; }

    /// <summary>The best monitored value of the current (or last) run, or <see langword="null"/> before its first epoch ends.</summary>
    public double? BestValue { get; private set; }

    /// <summary>The epoch of <see cref="BestValue"/>, or <see langword="null"/>.</summary>
    public int? BestEpoch { get; private set; }

    /// <summary>The epoch whose weights were saved last (the file's content), or <see langword="null"/> if none was saved in this run.</summary>
    public int? SavedEpoch { get; private set; }

    /// <inheritdoc />
    /// <exception cref="NotSupportedException">A layer cannot be saved.</exception>
    /// <exception cref="DirectoryNotFoundException">The file's folder does not exist.</exception>
    public void OnEpochStart(TrainingContext<T> context)
    {
        if (ReferenceEquals(run, context))
        {
            return;
        }

        run = context;
        BestValue = null;
        BestEpoch = null;
        SavedEpoch = null;
        LayerQueries.CheckSavable(context.Network);
        string? folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path));
        if (folder is null || !Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"ModelCheckpoint: the path '{Path}' is in a folder that does not exist ({folder}); create it first.");
        }
    }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">The epoch has no value for <see cref="Monitor"/> (no validation set).</exception>
    public void OnEpochEnd(TrainingContext<T> context)
    {
        EpochResult result = context.EpochResult!;
        double value = MetricReader.Read(result, Monitor, "ModelCheckpoint");
        bool improved = BestValue is not double best
            || (MetricReader.HigherIsBetter(Monitor) ? value > best : value < best);
        if (improved)
        {
            BestValue = value;
            BestEpoch = result.Epoch;
        }

        if (improved || !SaveBestOnly)
        {
            context.Network.Save(Path);
            SavedEpoch = result.Epoch;
        }
    }
}
