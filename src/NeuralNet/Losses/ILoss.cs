using System.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace NeuralNet.Losses;

/// <summary>
/// Compares a network's output with the truth and gives the batch-mean loss and its gradient.
/// </summary>
/// <remarks>
/// Outputs and targets are <c>outputs × batch</c> matrices (one sample per column). The returned loss is the mean
/// over the batch, and the gradient written to <c>outputGradient</c> is the gradient of that mean, so the
/// <c>1/N</c> is applied exactly once, here.
/// </remarks>
/// <typeparam name="T">Element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public interface ILoss<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Short name for messages and history, e.g. <c>"CrossEntropy"</c>.</summary>
    string Name { get; }

    /// <summary>
    /// Whether the loss expects raw scores (logits) and applies its own softmax; a network feeding it must not
    /// end in a <see cref="Layers.Softmax{T}"/> layer.
    /// </summary>
    bool ExpectsLogits { get; }

    /// <summary>Loss against class-index labels (classification).</summary>
    /// <param name="output">The network output, <c>classes × batch</c>.</param>
    /// <param name="labels">One class index per column of <paramref name="output"/>.</param>
    /// <param name="outputGradient">If not <see langword="null"/>, receives <c>∂L/∂output</c> (same shape as <paramref name="output"/>).</param>
    /// <returns>The mean loss over the batch.</returns>
    T Compute(Matrix<T> output, ReadOnlySpan<int> labels, Matrix<T>? outputGradient);

    /// <summary>Loss against target values (regression targets, or class probabilities / one-hot rows).</summary>
    /// <param name="output">The network output, <c>outputs × batch</c>.</param>
    /// <param name="targets">Targets of the same shape as <paramref name="output"/>.</param>
    /// <param name="outputGradient">If not <see langword="null"/>, receives <c>∂L/∂output</c> (same shape as <paramref name="output"/>).</param>
    /// <returns>The mean loss over the batch.</returns>
    T Compute(Matrix<T> output, Matrix<T> targets, Matrix<T>? outputGradient);
}
