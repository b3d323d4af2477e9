using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
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
    private readonly BatchBuffers<T> batches;
    private readonly double? clipNorm;

    public TrainingStep(Network<T> network, ILoss<T> loss, IOptimizer<T> optimizer, BatchBuffers<T> batches, double? clipNorm)
    {
        this.network = network;
        this.loss = loss;
        this.optimizer = optimizer;
        this.batches = batches;
        this.clipNorm = clipNorm;
        parameters = network.Parameters;
    }

    /// <summary>Trains on the samples at <paramref name="indices"/>.</summary>
    public void Run(ReadOnlySpan<int> indices, TrainingContext<T> context, ITrainingCallback<T> callbacks)
    {
        Matrix<T> input = batches.Gather(indices);
        Matrix<T> output = network.Forward(input);
        Matrix<T> gradient = batches.OutputGradient(output.RowCount, indices.Length);
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
