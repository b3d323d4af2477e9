using System.Globalization;
using System.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace NeuralNet.Losses;

/// <summary>
/// PyTorch's <c>nn.HuberLoss(delta)</c>: per element, with <c>d = ŷ − y</c>,
/// <c>ℓ = 0.5 d²</c> where <c>|d| &lt; δ</c> and <c>ℓ = δ (|d| − 0.5 δ)</c> elsewhere; with the default
/// <see cref="Reduction.Mean"/>, the mean over batch × outputs.
/// </summary>
/// <remarks>
/// Squared error near the target, absolute error (slope ±δ) far from it. <c>Huber(δ) = δ · SmoothL1(β = δ)</c>
/// (<see cref="SmoothL1Loss{T}"/>); the two agree at δ = β = 1.
/// </remarks>
/// <typeparam name="T">Element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class HuberLoss<T> : ILoss<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates the loss.</summary>
    /// <param name="delta">Where the quadratic part ends; finite and &gt; 0. Default 1, as PyTorch.</param>
    /// <param name="reduction">Mean over batch × outputs (default), sum, or none (per-sample values only).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="delta"/> is not positive or not finite, or <paramref name="reduction"/> is not a defined value.</exception>
    public HuberLoss(double delta = 1.0, Reduction reduction = Reduction.Mean)
    {
        if (!(delta > 0) || !double.IsFinite(delta))
        {
            throw new ArgumentOutOfRangeException(nameof(delta), delta, $"Huber: delta must be finite and positive, got {delta}.");
        }

        Delta = delta;
        Reduction = LossErrors.CheckReduction("Huber", reduction);
    }

    /// <summary>Where the quadratic part ends (PyTorch's <c>delta</c>).</summary>
    public double Delta { get; }

    /// <inheritdoc />
    public string Name => "Huber";

    /// <inheritdoc />
    public bool ExpectsLogits => false;

    /// <inheritdoc />
    public Reduction Reduction { get; }

    /// <inheritdoc />
    /// <exception cref="NotSupportedException">Always: Huber needs target values, not class labels.</exception>
    public T Compute(Matrix<T> output, ReadOnlySpan<int> labels, Matrix<T>? outputGradient) => throw LossErrors.NeedsTargets(Name);

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The shapes differ, or a target is not finite.</exception>
    /// <exception cref="InvalidOperationException"><see cref="Reduction"/> is <see cref="Reduction.None"/>.</exception>
    public T Compute(Matrix<T> output, Matrix<T> targets, Matrix<T>? outputGradient) =>
        ElementwiseLoss.Compute(Name, Reduction, output, targets, outputGradient, new RobustError(Delta, Delta));

    /// <inheritdoc />
    /// <exception cref="NotSupportedException">Always: Huber needs target values, not class labels.</exception>
    public void ComputePerSample(Matrix<T> output, ReadOnlySpan<int> labels, Span<T> losses) => throw LossErrors.NeedsTargets(Name);

    /// <inheritdoc />
    public void ComputePerSample(Matrix<T> output, Matrix<T> targets, Span<T> losses) =>
        ElementwiseLoss.PerSample(Name, output, targets, losses, new RobustError(Delta, Delta));

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Name}(delta {Delta}{(Reduction == Reduction.Mean ? string.Empty : $", {Reduction}")})");
}
