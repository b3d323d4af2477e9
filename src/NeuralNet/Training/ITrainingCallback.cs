namespace NeuralNet.Training;

/// <summary>
/// Hooks a <see cref="Trainer{T}"/> calls during <see cref="Trainer{T}.Fit"/> and <see cref="Trainer{T}.Resume"/>.
/// A callback can log, save the network, change the learning rate, or call <see cref="TrainingContext{T}.Stop"/>.
/// The trainer's own aids (learning-rate schedule, metrics, validation, early stopping, checkpoints, divergence
/// detection) are callbacks on this same interface.
/// </summary>
/// <remarks>
/// <para>
/// Order within a run: for each epoch, <see cref="OnEpochStart"/>; then for each batch <see cref="OnBatchStart"/>, the
/// forward pass, loss, backward pass and gradient clipping, <see cref="OnBeforeOptimizerStep"/>, the optimizer step and
/// <see cref="OnBatchEnd"/>; then <see cref="OnEpochEnd"/>. <see cref="OnTrainingEnd"/> follows the last epoch. Each hook
/// runs the callbacks of <see cref="Trainer{T}.Callbacks"/> in list order. The schedule sets the rate before your
/// start hooks run; the epoch's result (training metrics, validation) is complete and in the history before your
/// <see cref="OnEpochEnd"/>; early stopping and the checkpoint see the epoch after your <see cref="OnEpochEnd"/>; the
/// best weights are restored before your <see cref="OnTrainingEnd"/>.
/// </para>
/// <para>
/// The context object is the same instance for the whole run (updated in place, so the per-batch path allocates
/// nothing); read what you need during the call rather than keeping it. Every method does nothing unless overridden.
/// </para>
/// </remarks>
/// <typeparam name="T">Element type of the network being trained.</typeparam>
public interface ITrainingCallback<T>
    where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
{
    /// <summary>Called before each epoch's first batch, after the learning-rate schedule (per epoch) has set the rate.</summary>
    /// <param name="context">The run's state: <see cref="TrainingContext{T}.Epoch"/> is the starting epoch, <see cref="TrainingContext{T}.Batch"/> is 0.</param>
    void OnEpochStart(TrainingContext<T> context)
    {
    }

    /// <summary>Called before each batch's forward pass, after the learning-rate schedule (per batch) has set the rate.</summary>
    /// <param name="context">The run's state: <see cref="TrainingContext{T}.Batch"/> and <see cref="TrainingContext{T}.BatchSize"/> describe the starting batch.</param>
    void OnBatchStart(TrainingContext<T> context)
    {
    }

    /// <summary>
    /// Called after the backward pass and gradient clipping, before the optimizer step: the parameters' gradients are
    /// final and the weights not yet updated. Throwing here leaves the batch's update unapplied. A batch whose loss or
    /// gradient norm is not finite never gets here: the trainer throws <see cref="TrainingDivergedException"/> first.
    /// </summary>
    /// <param name="context">The run's state, with the batch's loss, output and (with clipping) gradient norm.</param>
    void OnBeforeOptimizerStep(TrainingContext<T> context)
    {
    }

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

    /// <summary>
    /// Called once when training ends without an exception (all epochs run, early stopping, or a stop request), with the
    /// network as the run leaves it (best weights restored, if early stopping does that) and the history complete.
    /// </summary>
    /// <param name="context">The run's state at the end.</param>
    void OnTrainingEnd(TrainingContext<T> context)
    {
    }
}
