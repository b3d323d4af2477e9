using System.Numerics;
using NeuralNet.Serialization;

namespace NeuralNet.Training;

/// <summary>
/// Where a checkpoint written by the trainer says to continue: its epoch and trainer state, read and checked against
/// this run before anything is changed. A setting that differs from this run's throws <see cref="ArgumentException"/>;
/// a value that no run writes throws <see cref="ModelFormatException"/>. Both name the field.
/// </summary>
/// <param name="Epoch">The last finished epoch.</param>
/// <param name="ScheduleStep">The per-batch schedule's next step (0 without one).</param>
/// <param name="LearningRate">The optimizer's rate at the checkpoint.</param>
/// <param name="Ended">Whether training stopped at <paramref name="Epoch"/>.</param>
/// <param name="EarlyStopping">Early stopping's progress, when the run has early stopping.</param>
internal sealed record ResumePoint<T>(int Epoch, long ScheduleStep, double LearningRate, bool Ended, EarlyStoppingState<T>? EarlyStopping)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Reads and checks <paramref name="checkpoint"/>'s epoch and trainer state against <paramref name="run"/>.</summary>
    public static ResumePoint<T> Read(Checkpoint<T> checkpoint, RunSettings<T> run)
    {
        var reader = new PayloadReader(checkpoint.RandomState.ToArray(), TrainerState.Source);
        TrainerState state = TrainerState.Read(reader);
        CheckSettings(state, run);
        EarlyStoppingState<T>? earlyStopping = null;
        if (run.EarlyStopping is EarlyStoppingTracker<T> tracker)
        {
            earlyStopping = EarlyStoppingState<T>.Read(reader, tracker.SlotLengths);
            Mismatch("early stopping RestoreBestWeights", earlyStopping.BestWeights is not null, tracker.KeepsBestWeights);
        }

        if (state.ReadOptimizer(reader) is string optimizer && !string.Equals(optimizer, run.OptimizerKind, StringComparison.OrdinalIgnoreCase))
        {
            // The kind is the optimizer's class name, compared without case: RMSProp was renamed RmsProp (.NET casing),
            // and checkpoints written before the rename name it "RMSProp".
            Mismatch("optimizer", optimizer, run.OptimizerKind);
        }

        reader.ExpectEnd("the trainer state");
        int epoch = CheckEpoch(checkpoint.Epoch, run.Options);
        CheckScheduleStep(state, epoch, run);
        if (!double.IsFinite(state.LearningRate) || state.LearningRate < 0)
        {
            throw Impossible("learning rate", state.LearningRate, "an optimizer's rate is finite and ≥ 0");
        }

        if (earlyStopping is not null)
        {
            CheckEarlyStopping(earlyStopping, epoch, state.Ended, run.Options.EarlyStopping!);
        }

        CheckFinite(checkpoint.Network);
        return new ResumePoint<T>(epoch, (long)state.ScheduleStep, state.LearningRate, state.Ended, earlyStopping);
    }

    private static void CheckSettings(TrainerState state, RunSettings<T> run)
    {
        Mismatch("Seed", state.Seed, run.Options.Seed);
        Mismatch("Shuffle", state.Shuffle, run.Options.Shuffle);
        Mismatch("training-set size (after any validation split)", state.TrainingSetSize, run.TrainingSetSize);
        Mismatch("batch size", state.BatchSize, run.BatchSize);
        Mismatch("early stopping (on)", state.HasEarlyStopping, run.EarlyStopping is not null);

    }

    private static int CheckEpoch(int epoch, TrainerOptions options)
    {
        if (epoch < 1)
        {
            throw Impossible("epoch", epoch, "the trainer writes a checkpoint at the end of an epoch, so it is at least 1");
        }

        if (epoch > options.Epochs)
        {
            throw Differs($"the checkpoint's epoch is {epoch}, beyond this trainer's Epochs = {options.Epochs}");
        }

        return epoch;
    }

    /// <summary>
    /// A per-batch schedule's step counts the batches run: all of them after an epoch that finished normally, at least one
    /// of the last epoch's after a stop. Without a per-batch schedule it stays 0.
    /// </summary>
    private static void CheckScheduleStep(TrainerState state, int epoch, RunSettings<T> run)
    {
        ulong batchesPerEpoch = (ulong)((run.TrainingSetSize + (long)run.BatchSize - 1) / run.BatchSize);
        ulong last = (ulong)epoch * batchesPerEpoch;
        ulong first = state.Ended ? last - batchesPerEpoch + 1 : last;
        ulong step = state.ScheduleStep;
        bool perBatchStep = step >= first && step <= last && step <= int.MaxValue;
        bool perBatchSchedule = run.Options.Schedule is not null && run.Options.ScheduleInterval == Schedules.ScheduleInterval.Batch;
        if (perBatchSchedule ? perBatchStep : step == 0)
        {
            return;
        }

        if (perBatchSchedule && step == 0)
        {
            throw Differs($"the checkpoint's schedule step is 0 after epoch {epoch}, so it was made without a per-batch schedule; this trainer has one");
        }

        if (!perBatchSchedule && perBatchStep)
        {
            throw Differs($"the checkpoint's schedule step is {step}, so it was made with a per-batch schedule; this trainer has {(run.Options.Schedule is null ? "no schedule" : "an epoch schedule")}");
        }

        string expected = perBatchSchedule ? (first == last ? $"{last}" : $"{first} to {last}") : "0";
        throw Impossible("schedule step", step, $"after epoch {epoch} of {batchesPerEpoch} batches it is {expected}");
    }

    /// <summary>The tracker sees every epoch: the best one is among them, and every epoch after it counts as one without improvement.</summary>
    private static void CheckEarlyStopping(EarlyStoppingState<T> state, int epoch, bool ended, EarlyStopping rule)
    {
        if (state.BestEpoch < 1 || state.BestEpoch > epoch)
        {
            throw Impossible("early-stopping best epoch", state.BestEpoch, $"after epoch {epoch} it is 1 to {epoch}");
        }

        if (state.EpochsWithoutImprovement != epoch - state.BestEpoch)
        {
            throw Impossible(
                "early-stopping epochs without improvement", state.EpochsWithoutImprovement, $"with best epoch {state.BestEpoch} after epoch {epoch} it is {epoch - state.BestEpoch}");
        }

        if (state.EpochsWithoutImprovement >= rule.Patience && !ended)
        {
            throw Differs(
                $"the checkpoint went on after {state.EpochsWithoutImprovement} epochs without improvement, so it was made with a larger early-stopping Patience; this trainer has Patience = {rule.Patience}");
        }

        bool possible = rule.Monitor switch
        {
            MonitoredMetric.TrainingLoss => double.IsFinite(state.Best),
            MonitoredMetric.ValidationAccuracy => state.Best is >= 0 and <= 1,
            _ => true,
        };
        if (!possible)
        {
            throw Differs($"the checkpoint's early-stopping best value {state.Best} cannot be a {rule.Monitor}, so it was made with another Monitor");
        }
    }

    /// <summary>
    /// Parameters that are NaN or ±∞ make the first batch's loss NaN: training cannot continue from them, and a run stops
    /// (diverged) before it writes such weights at the end of an epoch. (Statistics buffers are checked by the loader.)
    /// </summary>
    private static void CheckFinite(Network<T> network)
    {
        for (int l = 0; l < network.Layers.Count; l++)
        {
            foreach (Parameter<T> parameter in network.Layers[l].Parameters)
            {
                ReadOnlySpan<T> values = parameter.ValueSpan;
                for (int i = 0; i < values.Length; i++)
                {
                    if (!T.IsFinite(values[i]))
                    {
                        throw Impossible(
                            $"layer {l} ({network.Layers[l].Name}) parameter '{parameter.Name}'", values[i], $"index {i} must be finite for training to continue");
                    }
                }
            }
        }
    }

    private static void Mismatch<TValue>(string what, TValue saved, TValue current)
    {
        if (!EqualityComparer<TValue>.Default.Equals(saved, current))
        {
            throw Differs($"the checkpoint was made with {what} = {saved}, this trainer has {current}");
        }
    }

    private static ArgumentException Differs(string message) =>
        new($"Trainer.Resume: {message}; resume needs the original settings and data.", "checkpoint");

    private static ModelFormatException Impossible(string field, object value, string rule) =>
        new(string.Create(
            System.Globalization.CultureInfo.InvariantCulture,
            $"Trainer.Resume: the checkpoint's {field} is {value}, which no training run writes ({rule}); the checkpoint is damaged or was not written by Trainer."));
}
