using System.Numerics;

namespace NeuralNet.Training;

/// <summary>
/// Applies <see cref="TrainerOptions.EarlyStopping"/>: shows every finished epoch to the tracker (even one after which a
/// callback stopped the run) and ends the run once the patience is exhausted.
/// </summary>
internal sealed class EarlyStoppingCallback<T> : ITrainingCallback<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly EarlyStoppingTracker<T> tracker;

    public EarlyStoppingCallback(EarlyStoppingTracker<T> tracker) => this.tracker = tracker;

    public void OnEpochEnd(TrainingContext<T> context)
    {
        if (tracker.Update(context.EpochResult!))
        {
            context.RequestStop(TrainingStopReason.EarlyStopping);
        }
    }
}
