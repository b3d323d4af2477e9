using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Compute;
using NeuralNet.Losses;
using NeuralNet.Optimizers;

namespace NeuralNet.Training;

/// <summary>
/// One minibatch of training: forward pass, loss and its gradient, backward pass, optional clipping of the global
/// gradient norm, then the optimizer step. What it measured goes into the context, and the callbacks' last word
/// (<see cref="ITrainingCallback{T}.OnBeforeOptimizerStep"/>) comes before the update.
/// </summary>
internal sealed class TrainingStep<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Network<T> network;
    private readonly ILoss<T> loss;
    private readonly IOptimizer<T> optimizer;
    private readonly IReadOnlyList<Parameter<T>> parameters;
    private readonly MatrixCache<T> gradients = new();
    private readonly double? clipNorm;

    public TrainingStep(Network<T> network, ILoss<T> loss, IOptimizer<T> optimizer, double? clipNorm)
    {
        this.network = network;
        this.loss = loss;
        this.optimizer = optimizer;
        this.clipNorm = clipNorm;
        parameters = network.Parameters;
    }

    /// <summary>Trains on the gathered (and augmented) batch.</summary>
    public void Run(BatchBuffers<T> batches, TrainingContext<T> context, ITrainingCallback<T> callbacks)
    {
        Matrix<T> output = network.Forward(batches.Input);
        Matrix<T> gradient = gradients.Get(output.RowCount, output.ColumnCount);
        T batchLoss = batches.Targets is null
            ? loss.Compute(output, batches.Labels.Span, gradient)
            : loss.Compute(output, batches.Targets, gradient);
        context.BatchLoss = double.CreateChecked(batchLoss);
        context.BatchOutput = output;
        context.BatchLabels = batches.Labels;
        context.BatchTargets = batches.Targets;

        network.BackwardParameters(gradient); // the input gradient of the first layer is never used
        context.GradientNorm = clipNorm is double maxNorm ? GradientClipping.ClipByGlobalNorm(parameters, maxNorm) : null;
        callbacks.OnBeforeOptimizerStep(context);
        optimizer.Step(parameters);
    }
}
