using System.Numerics;
using NeuralNet.Data;
using NeuralNet.Serialization;

namespace NeuralNet.Training;

/// <content>Resuming a run from a checkpoint written with <see cref="TrainerOptions.CheckpointPath"/>.</content>
public sealed partial class Trainer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
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
    /// a <see cref="TrainerOptions.ValidationSplit"/> is redrawn from it, the <see cref="TrainerOptions.Augmentation"/> bits are
    /// recomputed from it and the batch's place (give the same transforms: the checkpoint does not record them), and an epoch schedule is recomputed from the
    /// epoch; a batch schedule continues from the step stored in the checkpoint. The learning rate in effect at the
    /// checkpoint is restored too, so a rate changed by a callback carries over; the callbacks' own state does not.
    /// </para>
    /// <para>
    /// The returned history holds only the resumed epochs; <see cref="TrainingHistory.BestEpoch"/> covers the whole run,
    /// and <see cref="TrainingHistory.WeightsEpoch"/> says which epoch's weights the network ends with.
    /// A checkpoint written by the epoch at which training stopped (early stopping or a callback) runs no further epoch.
    /// </para>
    /// </remarks>
    /// <param name="checkpoint">The checkpoint, e.g. <c>Checkpoint&lt;float&gt;.Load(path)</c> (which throws
    /// <see cref="ModelFormatException"/> for a damaged file before anything is changed).</param>
    /// <param name="training">The training samples of the original run (the same source, or the same samples in another source).</param>
    /// <param name="validation">The validation samples of the original run, if it had any.</param>
    /// <param name="progress">Receives each resumed epoch's result as it finishes.</param>
    /// <param name="cancellationToken">Checked before every batch.</param>
    /// <returns>The history of the resumed epochs.</returns>
    /// <exception cref="ArgumentException">The checkpoint does not match this trainer (layers, optimizer, seed, shuffling,
    /// batch size, training-set size, number of epochs, schedule interval, or early-stopping settings), or the optimizer
    /// refuses its state (a NaN or infinite value, a negative second moment); the message names the difference and nothing
    /// has changed.</exception>
    /// <exception cref="ModelFormatException">The checkpoint's epoch or trainer state is malformed or holds a value no run
    /// writes (epoch 0, a schedule step that does not fit the epoch and batch count, a non-finite or negative learning
    /// rate, early-stopping progress that does not fit the epoch, a NaN or infinite weight); the message names the field
    /// and nothing has changed.</exception>
    /// <exception cref="IOException"><see cref="TrainerOptions.CheckpointPath"/> cannot be written (as for <see cref="Fit"/>).</exception>
    public TrainingHistory Resume(
        Checkpoint<T> checkpoint,
        IDataSource<T> training,
        Dataset<T>? validation = null,
        IProgress<EpochResult>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        return Run(training, validation, progress, cancellationToken, checkpoint);
    }
}
