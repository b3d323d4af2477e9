using System.Numerics;
using NeuralNet.Data;
using NeuralNet.Serialization;

namespace NeuralNet.Training;

/// <content>Checkpoints after every epoch (<see cref="TrainerOptions.CheckpointPath"/>) and resuming from one.</content>
public sealed partial class Trainer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Version of the trainer-state bytes stored in <see cref="Checkpoint{T}.RandomState"/>.</summary>
    private const byte ResumeStateVersion = 1;

    /// <summary>
    /// Continues the run that wrote <paramref name="checkpoint"/> (with <see cref="TrainerOptions.CheckpointPath"/>):
    /// restores the weights, batch-norm running statistics, dropout generators, optimizer state, learning rate and
    /// early-stopping progress, then runs epochs <c>checkpoint.Epoch + 1</c> to <see cref="TrainerOptions.Epochs"/>.
    /// The final weights are bit-identical to those of a run that was never interrupted.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Build the trainer as for the original run: a network with the same layers, an optimizer of the same kind and
    /// initial learning rate (the schedule's <c>η₀</c> is <see cref="InitialLearningRate"/>), the same options, and the
    /// same training data (and validation data, if any). Shuffles are replayed from <see cref="TrainerOptions.Seed"/>,
    /// a <see cref="TrainerOptions.ValidationSplit"/> is redrawn from it, and an epoch schedule is recomputed from the
    /// epoch; a batch schedule continues from the step stored in the checkpoint. The learning rate in effect at the
    /// checkpoint is restored too, so a rate changed by a callback carries over; the callbacks' own state does not.
    /// </para>
    /// <para>
    /// The returned history holds only the resumed epochs; <see cref="TrainingHistory.BestEpoch"/> covers the whole run.
    /// A checkpoint written by the epoch at which training stopped (early stopping or a callback) runs no further epoch.
    /// </para>
    /// </remarks>
    /// <param name="checkpoint">The checkpoint, e.g. <c>Checkpoint&lt;float&gt;.Load(path)</c> (which throws
    /// <see cref="ModelFormatException"/> for a damaged file before anything is changed).</param>
    /// <param name="training">The training samples of the original run.</param>
    /// <param name="validation">The validation samples of the original run, if it had any.</param>
    /// <param name="progress">Receives each resumed epoch's result as it finishes.</param>
    /// <param name="cancellationToken">Checked before every batch.</param>
    /// <returns>The history of the resumed epochs.</returns>
    /// <exception cref="ArgumentException">The checkpoint does not match this trainer (layers, optimizer, seed, shuffling,
    /// batch size, training-set size or early-stopping settings); the message names the difference and nothing has changed.</exception>
    /// <exception cref="ModelFormatException">The checkpoint's trainer state is malformed.</exception>
    public TrainingHistory Resume(
        Checkpoint<T> checkpoint,
        Dataset<T> training,
        Dataset<T>? validation = null,
        IProgress<EpochResult>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        return Run(training, validation, progress, cancellationToken, checkpoint);
    }

    private void CheckCheckpointing()
    {
        if (Options.CheckpointPath is null)
        {
            return;
        }

        // Fail before the first epoch rather than after it.
        LayerQueries.CheckSavable(Network);
    }

    private void SaveCheckpoint(string path, int epoch, int count, int batchSize, long scheduleStep, bool ended, EarlyStoppingTracker<T>? earlyStopping)
    {
        var state = new PayloadWriter();
        state.WriteByte(ResumeStateVersion);
        state.WriteUInt32(unchecked((uint)Options.Seed));
        state.WriteByte(Options.Shuffle ? (byte)1 : (byte)0);
        state.WriteCount(count);
        state.WriteCount(batchSize);
        state.WriteUInt64((ulong)scheduleStep);
        state.WriteDouble(Optimizer.LearningRate);
        state.WriteByte(ended ? (byte)1 : (byte)0);
        state.WriteByte(earlyStopping is null ? (byte)0 : (byte)1);
        earlyStopping?.WriteState(state);
        Checkpoint<T>.Capture(Network, Optimizer, epoch, state.WrittenSpan).Save(path);
    }

    private ResumeState ReadResumeState(Checkpoint<T> checkpoint, int count, int batchSize, EarlyStoppingTracker<T>? earlyStopping)
    {
        var reader = new PayloadReader(checkpoint.RandomState.ToArray(), "the checkpoint's trainer state");
        byte version = reader.ReadByte("trainer state version");
        if (version != ResumeStateVersion)
        {
            throw reader.Error($"trainer state version {version} is not supported (this version reads {ResumeStateVersion})");
        }

        int seed = unchecked((int)reader.ReadUInt32("seed"));
        bool shuffle = ReadFlag(reader, "shuffle flag");
        int savedCount = reader.ReadCount("training-set size", 1, int.MaxValue);
        int savedBatchSize = reader.ReadCount("batch size", 1, int.MaxValue);
        ulong step = reader.ReadUInt64("schedule step");
        double learningRate = reader.ReadDouble("learning rate");
        bool ended = ReadFlag(reader, "ended flag");
        bool hasEarlyStopping = ReadFlag(reader, "early-stopping flag");
        Mismatch("Seed", seed, Options.Seed);
        Mismatch("Shuffle", shuffle, Options.Shuffle);
        Mismatch("training-set size (after any validation split)", savedCount, count);
        Mismatch("batch size", savedBatchSize, batchSize);
        Mismatch("early stopping (on)", hasEarlyStopping, earlyStopping is not null);
        if (step > int.MaxValue || !double.IsFinite(learningRate) || learningRate < 0)
        {
            throw reader.Error($"schedule step {step} or learning rate {learningRate} is out of range");
        }

        earlyStopping?.ReadState(reader);
        reader.ExpectEnd("the trainer state");
        return new ResumeState((long)step, learningRate, ended);
    }

    private static bool ReadFlag(PayloadReader reader, string what) => reader.ReadByte(what) switch
    {
        0 => false,
        1 => true,
        byte other => throw reader.Error($"{what} is {other}; it must be 0 or 1"),
    };

    private static void Mismatch<TValue>(string what, TValue saved, TValue current)
    {
        if (!EqualityComparer<TValue>.Default.Equals(saved, current))
        {
            throw new ArgumentException($"Trainer.Resume: the checkpoint was made with {what} = {saved}, this trainer has {current}; resume needs the original settings and data.");
        }
    }

    private readonly record struct ResumeState(long ScheduleStep, double LearningRate, bool Ended);
}
