using System.Numerics;
using NeuralNet.Schedules;

namespace NeuralNet.Training;

/// <summary>
/// Applies <see cref="TrainerOptions.Schedule"/>: before each epoch (step = epoch − 1) or before each batch (step =
/// batches run so far, across epochs and resumes), sets the optimizer's rate to the schedule's value at that step.
/// </summary>
internal sealed class LearningRateScheduler<T> : ITrainingCallback<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly ILearningRateSchedule schedule;
    private readonly double initialRate;
    private readonly bool perBatch;

    public LearningRateScheduler(ILearningRateSchedule schedule, ScheduleInterval interval, double initialRate)
    {
        this.schedule = schedule;
        this.initialRate = initialRate;
        perBatch = interval == ScheduleInterval.Batch;
    }

    /// <summary>Per batch: the batches run so far, the next batch's step (what a checkpoint stores). Per epoch: always 0.</summary>
    public long BatchStep { get; set; }

    public void OnEpochStart(TrainingContext<T> context)
    {
        if (!perBatch)
        {
            context.Optimizer.LearningRate = schedule.GetLearningRate(initialRate, context.Epoch - 1);
        }
    }

    public void OnBatchStart(TrainingContext<T> context)
    {
        if (perBatch)
        {
            context.Optimizer.LearningRate = schedule.GetLearningRate(initialRate, checked((int)BatchStep++));
        }
    }
}
