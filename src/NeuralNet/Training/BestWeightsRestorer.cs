using System.Numerics;

namespace NeuralNet.Training;

/// <summary>
/// At the end of a run with early stopping: records the best epoch in the history and, with
/// <see cref="EarlyStopping.RestoreBestWeights"/>, copies that epoch's model state back into the network, before the
/// user's callbacks see the end of training.
/// </summary>
internal sealed class BestWeightsRestorer<T> : ITrainingCallback<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly EarlyStoppingTracker<T> tracker;

    public BestWeightsRestorer(EarlyStoppingTracker<T> tracker) => this.tracker = tracker;

    public void OnTrainingEnd(TrainingContext<T> context)
    {
        context.History.BestEpoch = tracker.BestEpoch;
        if (tracker.RestoreBest())
        {
            context.History.WeightsEpoch = tracker.BestEpoch;
        }
    }
}
