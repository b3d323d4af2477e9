using NeuralNet.Data;
using NeuralNet.Schedules;

namespace NeuralNet.Training;

/// <summary>How a <see cref="Trainer{T}"/> walks the data, and the optional training aids (schedule, validation split,
/// early stopping, gradient clipping). Every aid is off by default. Callbacks are added to <see cref="Trainer{T}.Callbacks"/>.
/// Each setter refuses a value out of its range with <see cref="ArgumentOutOfRangeException"/> naming the option.</summary>
/// <example>
/// <code>
/// var options = new TrainerOptions
/// {
///     Epochs = 30, BatchSize = 128, Seed = 1,
///     Schedule = new LinearWarmupSchedule(2, new CosineAnnealingSchedule(28)),
///     ValidationSplit = 0.1,
///     EarlyStopping = new EarlyStopping(patience: 5),
///     GradientClipNorm = 5.0,
/// };
/// </code>
/// </example>
public sealed record TrainerOptions
{
    private readonly int epochs = 10;
    private readonly int batchSize = 32;
    private readonly ScheduleInterval scheduleInterval = ScheduleInterval.Epoch;
    private readonly double validationSplit;
    private readonly double? gradientClipNorm;
    private readonly string? checkpointPath;
    private readonly ISampleTransform[]? augmentation;

    /// <summary>Number of passes over the training set; at least 1. Default 10.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is below 1.</exception>
    public int Epochs
    {
        get => epochs;
        init => epochs = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(Epochs), value, "Trainer: the number of epochs must be at least 1.");
    }

    /// <summary>Samples per minibatch; at least 1. The last, partial batch of an epoch is used too. Default 32.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is below 1.</exception>
    public int BatchSize
    {
        get => batchSize;
        init => batchSize = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(BatchSize), value, "Trainer: the batch size must be at least 1.");
    }

    /// <summary>Seed of the per-epoch shuffle; the same seed gives the same batches and so bit-identical weights. Default 0.</summary>
    public int Seed { get; init; }

    /// <summary>Whether to reshuffle the training samples before every epoch. Default <see langword="true"/>.</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>
    /// Learning-rate schedule applied to the optimizer through <see cref="Optimizers.IOptimizer{T}.LearningRate"/>, or
    /// <see langword="null"/> to leave the rate alone. Its initial rate <c>η₀</c> is the optimizer's rate when the
    /// <see cref="Trainer{T}"/> was created; every <see cref="Trainer{T}.Fit"/> restarts it at step 0. Default <see langword="null"/>.
    /// </summary>
    public ILearningRateSchedule? Schedule { get; init; }

    /// <summary>
    /// Whether <see cref="Schedule"/> advances once per epoch (before the epoch's first batch, step = epoch − 1) or once
    /// per batch (before each batch, step = batches run so far). Default <see cref="ScheduleInterval.Epoch"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a defined interval.</exception>
    public ScheduleInterval ScheduleInterval
    {
        get => scheduleInterval;
        init => scheduleInterval = Enum.IsDefined(value) ? value : throw new ArgumentOutOfRangeException(nameof(ScheduleInterval), value, "Trainer: unknown schedule interval.");
    }

    /// <summary>
    /// Fraction of the training set held out for validation when <see cref="Trainer{T}.Fit"/> gets no validation set:
    /// a random split drawn from <see cref="Seed"/> (a seeded permutation, never the tail of the data, so ordered
    /// data still gives a representative validation set), in [0, 1). 0 turns it off. Default 0.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside [0, 1) or NaN.</exception>
    public double ValidationSplit
    {
        get => validationSplit;
        init => validationSplit = value is >= 0 and < 1 ? value : throw new ArgumentOutOfRangeException(nameof(ValidationSplit), value, "Trainer: the validation split must be in [0, 1).");
    }

    /// <summary>Early stopping with restore of the best weights, or <see langword="null"/> to run every epoch. Default <see langword="null"/>.</summary>
    public EarlyStopping? EarlyStopping { get; init; }

    /// <summary>
    /// Maximum global L2 norm of the gradient: after each backward pass, if <c>‖g‖ = √(Σ over all parameters of Σ gᵢ²)</c>
    /// exceeds it, every gradient is scaled by <c>GradientClipNorm / ‖g‖</c> before the optimizer step. Finite and
    /// &gt; 0, or <see langword="null"/> for no clipping. Default <see langword="null"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not finite, or not positive.</exception>
    public double? GradientClipNorm
    {
        get => gradientClipNorm;
        init => gradientClipNorm = value is not double clip || (clip > 0 && double.IsFinite(clip))
            ? value
            : throw new ArgumentOutOfRangeException(nameof(GradientClipNorm), value, "Trainer: the gradient clipping norm must be finite and positive.");
    }

    /// <summary>
    /// File to which a <see cref="Serialization.Checkpoint{T}"/> is written at the end of every epoch (after the callbacks
    /// and early stopping have seen it), replacing the previous one atomically, or <see langword="null"/> for none.
    /// Continue an interrupted run with <see cref="Trainer{T}.Resume"/>. Every layer's kind must be registered (see <see cref="Layers.LayerRegistry"/>), and
    /// the file's folder must exist and be writable (both checked before the first epoch). Default <see langword="null"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The path is empty or white space.</exception>
    public string? CheckpointPath
    {
        get => checkpointPath;
        init => checkpointPath = value is null || !string.IsNullOrWhiteSpace(value) ? value : throw new ArgumentException("Trainer: the checkpoint path is empty.", nameof(CheckpointPath));
    }

    /// <summary>
    /// Whether to log training to the console like Keras's <c>verbose=1</c>: a <see cref="ConsoleLogger{T}"/> on
    /// <see cref="Console.Out"/> writes one line per epoch (with in-place batch progress when the output is a terminal)
    /// and a last line when training stops early or the network ends with another epoch's weights. Default
    /// <see langword="false"/>: a library stays silent unless asked (add a <see cref="ConsoleLogger{T}"/> to
    /// <see cref="Trainer{T}.Callbacks"/> to log to another <see cref="TextWriter"/>).
    /// </summary>
    public bool Verbose { get; init; }

    /// <summary>
    /// Data augmentation: transforms applied in list order to every training sample after its batch is gathered, e.g.
    /// <c>[new RandomShift(2), new RandomHorizontalFlip()]</c>; never applied to validation data, <see cref="Trainer{T}.Evaluate"/>
    /// or <c>Predict</c>. Each transform's random bits come from <see cref="Seed"/> and the sample's epoch, batch and
    /// column, so augmented runs are bit-reproducible and <see cref="Trainer{T}.Resume"/> continues them exactly. The
    /// sample shape the transforms see is the network's <see cref="Network{T}.InputShape"/> when it is an image (e.g.
    /// <c>new Network&lt;float&gt;(Shape.Of(1, 28, 28), new Flatten&lt;float&gt;(), …)</c>), else the training source's
    /// <see cref="IDataSource{T}.SampleShape"/> (a <see cref="SampleFile{T}"/> stores one); a transform that does not fit it is refused before training.
    /// <see langword="null"/> or empty for none (the list is copied). Default <see langword="null"/>.
    /// </summary>
    /// <exception cref="ArgumentException">An entry is <see langword="null"/>.</exception>
    public IReadOnlyList<ISampleTransform>? Augmentation
    {
        get => augmentation;
        init => augmentation = value is null || value.All(transform => transform is not null)
            ? value?.ToArray()
            : throw new ArgumentException($"Trainer: entry {value.ToList().IndexOf(null!)} of Augmentation is null.", nameof(Augmentation));
    }

    /// <summary>
    /// Whether the next batch is gathered (read from the source and augmented) on a background thread while the current
    /// one trains: double buffering, no allocation per batch, and bit for bit the weights of the synchronous path. An
    /// exception from the source or a transform is rethrown by <c>Fit</c> when its batch is due.
    /// <see langword="null"/> (the default) decides per run: in the background when there is work to hide — the training
    /// source is not an in-memory <see cref="Data.Dataset{T}"/> (a file to read) or <see cref="Augmentation"/> is set —
    /// and more than one thread is allowed (<see cref="Compute.ComputeInfo.MaxThreads"/> &gt; 1); otherwise on the
    /// training thread, so a one-thread run stays on one thread and a network whose step takes microseconds (e.g. XOR)
    /// pays no hand-off between threads (about 10 µs per batch). <see langword="true"/> or <see langword="false"/> forces
    /// either. The batch thread only copies and transforms one batch (about 0.15–0.25 ms for 64 augmented images of
    /// 28 × 28, under 1 % of a small CNN's step), so it shares the second core with the matrix product only briefly.
    /// </summary>
    public bool? AssembleBatchesInBackground { get; init; }

    /// <summary>
    /// Throws if a value is out of range; the message names the option and the value. The setters already refuse such
    /// values; this checks the early-stopping rule too.
    /// </summary>
    public void Validate()
    {
        if (Epochs < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Epochs), Epochs, "Trainer: the number of epochs must be at least 1.");
        }

        if (BatchSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "Trainer: the batch size must be at least 1.");
        }

        if (!(ValidationSplit >= 0 && ValidationSplit < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(ValidationSplit), ValidationSplit, "Trainer: the validation split must be in [0, 1).");
        }

        if (GradientClipNorm is double clip && (!(clip > 0) || !double.IsFinite(clip)))
        {
            throw new ArgumentOutOfRangeException(nameof(GradientClipNorm), clip, "Trainer: the gradient clipping norm must be finite and positive.");
        }

        if (!Enum.IsDefined(ScheduleInterval))
        {
            throw new ArgumentOutOfRangeException(nameof(ScheduleInterval), ScheduleInterval, "Trainer: unknown schedule interval.");
        }

        if (CheckpointPath is not null && string.IsNullOrWhiteSpace(CheckpointPath))
        {
            throw new ArgumentException("Trainer: the checkpoint path is empty.", nameof(CheckpointPath));
        }

        EarlyStopping?.Validate();
    }
}
