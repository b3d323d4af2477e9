using System.Globalization;
using System.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace NeuralNet.Losses;

/// <summary>
/// PyTorch's <c>nn.SmoothL1Loss(beta)</c>: per element, with <c>d = ŷ − y</c>,
/// <c>ℓ = 0.5 d² / β</c> where <c>|d| &lt; β</c> and <c>ℓ = |d| − 0.5 β</c> elsewhere; with the default
/// <see cref="Reduction.Mean"/>, the mean over batch × outputs.
/// </summary>
/// <remarks>
/// The quadratic part's slope is <c>d / β</c> and the linear part's is ±1, so the gradient never exceeds 1 in size.
/// <c>β = 0</c> is exactly <see cref="L1Loss{T}"/>. <see cref="HuberLoss{T}"/> with <c>δ = β</c> equals
/// <c>β · SmoothL1(β)</c>.
/// </remarks>
/// <typeparam name="T">Element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class SmoothL1Loss<T> : ILoss<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates the loss.</summary>
    /// <param name="beta">Where the quadratic part ends; finite and ≥ 0 (0 gives the L1 loss). Default 1, as PyTorch.</param>
    /// <param name="reduction">Mean over batch × outputs (default), sum, or none (per-sample values only).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="beta"/> is negative or not finite, or <paramref name="reduction"/> is not a defined value.</exception>
    public SmoothL1Loss(double beta = 1.0, Reduction reduction = Reduction.Mean)
    {
        if (!(beta >= 0) || !double.IsFinite(beta))
        {
            throw new ArgumentOutOfRangeException(nameof(beta), beta, $"SmoothL1: beta must be finite and non-negative, got {beta}.");
        }

        Beta = beta;
        Reduction = LossErrors.CheckReduction("SmoothL1", reduction);
    }

    /// <summary>Where the quadratic part ends (PyTorch's <c>beta</c>).</summary>
    public double Beta { get; }

    /// <inheritdoc />
    public string Name => "SmoothL1";

    /// <inheritdoc />
    public bool ExpectsLogits => false;

    /// <inheritdoc />
    public Reduction Reduction { get; }

    /// <inheritdoc />
    /// <exception cref="NotSupportedException">Always: smooth L1 needs target values, not class labels.</exception>
    public T Compute(Matrix<T> output, ReadOnlySpan<int> labels, Matrix<T>? outputGradient) => throw LossErrors.NeedsTargets(Name);

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The shapes differ, or a target is not finite.</exception>
    /// <exception cref="InvalidOperationException"><see cref="Reduction"/> is <see cref="Reduction.None"/>.</exception>
    public T Compute(Matrix<T> output, Matrix<T> targets, Matrix<T>? outputGradient) =>
        ElementwiseLoss.Compute(Name, Reduction, output, targets, outputGradient, new RobustError(Beta, 1));

    /// <inheritdoc />
    /// <exception cref="NotSupportedException">Always: smooth L1 needs target values, not class labels.</exception>
    public void ComputePerSample(Matrix<T> output, ReadOnlySpan<int> labels, Span<T> losses) => throw LossErrors.NeedsTargets(Name);

    /// <inheritdoc />
    public void ComputePerSample(Matrix<T> output, Matrix<T> targets, Span<T> losses) =>
        ElementwiseLoss.PerSample(Name, output, targets, losses, new RobustError(Beta, 1));

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Name}(beta {Beta}{(Reduction == Reduction.Mean ? string.Empty : $", {Reduction}")})");
}
