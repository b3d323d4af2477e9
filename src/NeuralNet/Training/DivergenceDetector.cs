using System.Numerics;

namespace NeuralNet.Training;

/// <summary>
/// Stops a run whose loss, or (with clipping) gradient norm, is no longer finite, before the batch's update is applied:
/// throws <see cref="TrainingDivergedException"/> naming the epoch and batch.
/// </summary>
internal sealed class DivergenceDetector<T> : ITrainingCallback<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public void OnBeforeOptimizerStep(TrainingContext<T> context)
    {
        double loss = context.BatchLoss;
        if (!double.IsFinite(loss))
        {
            throw new TrainingDivergedException(context.Epoch, context.Batch, loss);
        }

        if (context.GradientNorm is double norm && !double.IsFinite(norm))
        {
            throw new TrainingDivergedException(
                context.Epoch,
                context.Batch,
                loss,
                $"Training diverged: the gradient norm became {norm} at epoch {context.Epoch}, batch {context.Batch} (the loss was {loss}). Lower the learning rate or scale the inputs.");
        }
    }
}
