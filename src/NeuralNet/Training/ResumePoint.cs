using System.Numerics;
using NeuralNet.Serialization;

namespace NeuralNet.Training;

/// <summary>
/// Where a checkpoint written by the trainer says to continue: its trainer state, read and checked against this run
/// before anything is changed. A setting that differs from this run's throws <see cref="ArgumentException"/>; a value
/// that no run could have written throws <see cref="ModelFormatException"/>. Both name the field.
/// </summary>
/// <param name="Epoch">The last finished epoch.</param>
/// <param name="ScheduleStep">The per-batch schedule's next step (0 without one).</param>
/// <param name="LearningRate">The optimizer's rate at the checkpoint.</param>
/// <param name="Ended">Whether training stopped at <paramref name="Epoch"/>.</param>
/// <param name="EarlyStopping">Early stopping's progress, when the run has early stopping.</param>
internal sealed record ResumePoint<T>(int Epoch, long ScheduleStep, double LearningRate, bool Ended, EarlyStoppingState<T>? EarlyStopping)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Reads and checks <paramref name="checkpoint"/>'s trainer state against <paramref name="run"/>.</summary>
    public static ResumePoint<T> Read(Checkpoint<T> checkpoint, RunSettings<T> run)
    {
        var reader = new PayloadReader(checkpoint.RandomState.ToArray(), TrainerState.Source);
        TrainerState state = TrainerState.Read(reader);
        CheckSettings(state, run);
        if (state.ScheduleStep > int.MaxValue || !double.IsFinite(state.LearningRate) || state.LearningRate < 0)
        {
            throw reader.Error($"schedule step {state.ScheduleStep} or learning rate {state.LearningRate} is out of range");
        }

        EarlyStoppingState<T>? earlyStopping = null;
        if (run.EarlyStopping is EarlyStoppingTracker<T> tracker)
        {
            earlyStopping = EarlyStoppingState<T>.Read(reader, tracker.SlotLengths);
            Mismatch("early stopping RestoreBestWeights", earlyStopping.BestWeights is not null, tracker.KeepsBestWeights);
        }

        reader.ExpectEnd("the trainer state");
        return new ResumePoint<T>(checkpoint.Epoch, (long)state.ScheduleStep, state.LearningRate, state.Ended, earlyStopping);
    }

    private static void CheckSettings(TrainerState state, RunSettings<T> run)
    {
        Mismatch("Seed", state.Seed, run.Options.Seed);
        Mismatch("Shuffle", state.Shuffle, run.Options.Shuffle);
        Mismatch("training-set size (after any validation split)", state.TrainingSetSize, run.TrainingSetSize);
        Mismatch("batch size", state.BatchSize, run.BatchSize);
        Mismatch("early stopping (on)", state.HasEarlyStopping, run.EarlyStopping is not null);
    }

    private static void Mismatch<TValue>(string what, TValue saved, TValue current)
    {
        if (!EqualityComparer<TValue>.Default.Equals(saved, current))
        {
            throw new ArgumentException($"Trainer.Resume: the checkpoint was made with {what} = {saved}, this trainer has {current}; resume needs the original settings and data.");
        }
    }
}
