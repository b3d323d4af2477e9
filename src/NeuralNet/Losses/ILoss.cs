using System.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace NeuralNet.Losses;

/// <summary>
/// Compares a network's output with the truth and gives the reduced loss and its gradient.
/// </summary>
/// <remarks>
/// <para>
/// Outputs and targets are <c>outputs × batch</c> matrices (one sample per column). With the default
/// <see cref="Reduction.Mean"/>, the returned loss is PyTorch's mean: over the batch for cross-entropy, over
/// batch × outputs for the element-wise losses such as <see cref="MeanSquaredErrorLoss{T}"/>; the gradient written to
/// <c>outputGradient</c> is the gradient of the returned value, so the division is applied exactly once, here.
/// </para>
/// <para>
/// <see cref="ComputePerSample(Matrix{T}, ReadOnlySpan{int}, Span{T})"/> gives one loss per sample, unreduced (for an
/// element-wise loss, the sum over the sample's outputs), so <see cref="Reduction.Sum"/> is their sum.
/// </para>
/// </remarks>
/// <typeparam name="T">Element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public interface ILoss<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Short name for messages and history, e.g. <c>"CrossEntropy"</c>.</summary>
    string Name { get; }

    /// <summary>
    /// Whether the loss expects raw scores (logits) and applies its own softmax or sigmoid; a network feeding it must
    /// not end in a <see cref="Layers.Softmax{T}"/> layer.
    /// </summary>
    bool ExpectsLogits { get; }

    /// <summary>
    /// Whether the loss takes class-index labels (a classification dataset). Defaults to <see cref="ExpectsLogits"/>;
    /// losses that need target values return <see langword="false"/>, and the trainer then refuses a labelled dataset up front.
    /// </summary>
    bool TakesClassLabels => ExpectsLogits;

    /// <summary>How <c>Compute</c> reduces the batch to one value. Defaults to <see cref="Reduction.Mean"/>.</summary>
    Reduction Reduction => Reduction.Mean;

    /// <summary>Loss against class-index labels (classification).</summary>
    /// <param name="output">The network output, <c>classes × batch</c>.</param>
    /// <param name="labels">One class index per column of <paramref name="output"/>.</param>
    /// <param name="outputGradient">If not <see langword="null"/>, receives <c>∂L/∂output</c> (same shape as <paramref name="output"/>).</param>
    /// <returns>The loss reduced by <see cref="Reduction"/> (by default the mean over the batch).</returns>
    T Compute(Matrix<T> output, ReadOnlySpan<int> labels, Matrix<T>? outputGradient);

    /// <summary>Loss against target values (regression targets, or class probabilities / one-hot rows).</summary>
    /// <param name="output">The network output, <c>outputs × batch</c>.</param>
    /// <param name="targets">Targets of the same shape as <paramref name="output"/>.</param>
    /// <param name="outputGradient">If not <see langword="null"/>, receives <c>∂L/∂output</c> (same shape as <paramref name="output"/>).</param>
    /// <returns>The loss reduced by <see cref="Reduction"/> (by default the mean over batch × outputs for an element-wise loss).</returns>
    T Compute(Matrix<T> output, Matrix<T> targets, Matrix<T>? outputGradient);

    /// <summary>The unreduced loss of every sample against class-index labels, whatever <see cref="Reduction"/> is.</summary>
    /// <param name="output">The network output, <c>classes × batch</c>.</param>
    /// <param name="labels">One class index per column of <paramref name="output"/>.</param>
    /// <param name="losses">Receives one loss per sample (column); its length must be the batch size.</param>
    /// <exception cref="NotSupportedException">The loss does not give per-sample values (the default implementation) or does not take labels.</exception>
    void ComputePerSample(Matrix<T> output, ReadOnlySpan<int> labels, Span<T> losses) =>
        throw new NotSupportedException($"{Name} does not give per-sample losses.");

    /// <summary>The unreduced loss of every sample against target values, whatever <see cref="Reduction"/> is.</summary>
    /// <param name="output">The network output, <c>outputs × batch</c>.</param>
    /// <param name="targets">Targets of the same shape as <paramref name="output"/>.</param>
    /// <param name="losses">Receives one loss per sample (column), for an element-wise loss the sum over the sample's outputs; its length must be the batch size.</param>
    /// <exception cref="NotSupportedException">The loss does not give per-sample values (the default implementation).</exception>
    void ComputePerSample(Matrix<T> output, Matrix<T> targets, Span<T> losses) =>
        throw new NotSupportedException($"{Name} does not give per-sample losses.");
}
