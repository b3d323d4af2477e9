namespace NeuralNet.Training;

/// <summary>
/// Hooks a <see cref="Trainer{T}"/> calls during <see cref="Trainer{T}.Fit"/>: after every optimizer step and after
/// every epoch. A callback can log, save the network, or call <see cref="TrainingContext{T}.Stop"/>.
/// </summary>
/// <remarks>
/// The context object is the same instance for the whole run (updated in place, so the per-batch path allocates
/// nothing); read what you need during the call rather than keeping it. Both methods do nothing unless overridden.
/// </remarks>
/// <typeparam name="T">Element type of the network being trained.</typeparam>
public interface ITrainingCallback<T>
    where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
{
    /// <summary>Called after each batch's optimizer step; <see cref="TrainingContext{T}.EpochResult"/> is <see langword="null"/>.</summary>
    /// <param name="context">The run's state after the step.</param>
    void OnBatchEnd(TrainingContext<T> context)
    {
    }

    /// <summary>Called after each epoch, once its result (validation included) is in the history.</summary>
    /// <param name="context">The run's state, with <see cref="TrainingContext{T}.EpochResult"/> set.</param>
    void OnEpochEnd(TrainingContext<T> context)
    {
    }
}
