using System.Numerics;
using NeuralNet.Serialization;

namespace NeuralNet.Training;

/// <summary>
/// The trainer's own part of a checkpoint (<see cref="Checkpoint{T}.RandomState"/>), version 1: the byte layout of
/// docs/model-format.md, "Trainer state". Only reading and writing; <see cref="ResumePoint{T}"/> judges the values.
/// </summary>
/// <param name="Seed">TrainerOptions.Seed.</param>
/// <param name="Shuffle">TrainerOptions.Shuffle.</param>
/// <param name="TrainingSetSize">Training samples after any validation split.</param>
/// <param name="BatchSize">The effective batch size (at most the training-set size).</param>
/// <param name="ScheduleStep">Batches run so far with a per-batch schedule; otherwise 0.</param>
/// <param name="LearningRate">The optimizer's rate at the end of the epoch.</param>
/// <param name="Ended">Whether training stopped at this epoch (early stopping or a callback).</param>
/// <param name="HasEarlyStopping">Whether an early-stopping section follows.</param>
/// <param name="Optimizer">The optimizer's kind (class name without arity); <see langword="null"/> when read from a version-1 state, which did not store it.</param>
internal readonly record struct TrainerState(
    int Seed, bool Shuffle, int TrainingSetSize, int BatchSize, ulong ScheduleStep, double LearningRate, bool Ended, bool HasEarlyStopping, string? Optimizer)
{
    /// <summary>The version written: 2 appends the optimizer's kind after everything version 1 has; version 1 is still read.</summary>
    public const byte Version = 2;

    /// <summary>The version the state was read from (the optimizer's kind, last in version 2, is read after the early-stopping section).</summary>
    public byte StoredVersion { get; init; } = Version;

    /// <summary>Reads the optimizer's kind that ends a version-2 state; <see langword="null"/> for version 1.</summary>
    public string? ReadOptimizer(PayloadReader reader) => StoredVersion >= 2 ? reader.ReadName("optimizer kind") : null;

    /// <summary>The optimizer's kind as stored: its class name without the generic arity, e.g. <c>Adam</c>.</summary>
    public static string OptimizerKind(object optimizer) => optimizer.GetType().Name.Split('`')[0];

    /// <summary>What messages call the trainer state.</summary>
    public const string Source = "the checkpoint's trainer state";

    /// <summary>The complete trainer state: these fields, then <paramref name="earlyStopping"/> if <see cref="HasEarlyStopping"/>.</summary>
    public byte[] ToBytes<T>(EarlyStoppingState<T>? earlyStopping)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var writer = new PayloadWriter();
        writer.WriteByte(Version);
        writer.WriteUInt32(unchecked((uint)Seed));
        writer.WriteByte(Shuffle ? (byte)1 : (byte)0);
        writer.WriteCount(TrainingSetSize);
        writer.WriteCount(BatchSize);
        writer.WriteUInt64(ScheduleStep);
        writer.WriteDouble(LearningRate);
        writer.WriteByte(Ended ? (byte)1 : (byte)0);
        writer.WriteByte(HasEarlyStopping ? (byte)1 : (byte)0);
        if (HasEarlyStopping)
        {
            earlyStopping!.Write(writer);
        }

        writer.WriteName(Optimizer ?? throw new InvalidOperationException("The optimizer's kind is needed to write a checkpoint."));

        return writer.WrittenSpan.ToArray();
    }

    /// <summary>Reads the fields up to the early-stopping flag; the early-stopping section, if any, follows in <paramref name="reader"/>.</summary>
    public static TrainerState Read(PayloadReader reader)
    {
        byte version = reader.ReadByte("trainer state version");
        if (version is not (1 or Version))
        {
            throw reader.Error($"trainer state version {version} is not supported (this version reads 1 and {Version})");
        }

        int seed = unchecked((int)reader.ReadUInt32("seed"));
        bool shuffle = ReadFlag(reader, "shuffle flag");
        int count = reader.ReadCount("training-set size", 1, int.MaxValue);
        int batchSize = reader.ReadCount("batch size", 1, int.MaxValue);
        ulong step = reader.ReadUInt64("schedule step");
        double learningRate = reader.ReadDouble("learning rate");
        bool ended = ReadFlag(reader, "ended flag");
        bool hasEarlyStopping = ReadFlag(reader, "early-stopping flag");
        return new TrainerState(seed, shuffle, count, batchSize, step, learningRate, ended, hasEarlyStopping, null) { StoredVersion = version };
    }

    /// <summary>Reads a byte that must be 0 or 1.</summary>
    public static bool ReadFlag(PayloadReader reader, string what) => reader.ReadByte(what) switch
    {
        0 => false,
        1 => true,
        byte other => throw reader.Error($"{what} is {other}; it must be 0 or 1"),
    };
}
