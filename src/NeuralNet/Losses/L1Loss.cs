using System.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace NeuralNet.Losses;

/// <summary>
/// Absolute error, <c>ℓ = |ŷ − y|</c> per element, PyTorch's <c>nn.L1Loss</c>: with the default
/// <see cref="Reduction.Mean"/>, the mean over batch × outputs. For regression with outliers.
/// </summary>
/// <remarks>Gradient: <c>sign(ŷ − y)</c> (0 where <c>ŷ = y</c>, as PyTorch), divided by <c>N·D</c> for the mean.</remarks>
/// <typeparam name="T">Element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class L1Loss<T> : ILoss<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates the loss.</summary>
    /// <param name="reduction">Mean over batch × outputs (default), sum, or none (per-sample values only).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="reduction"/> is not a defined value.</exception>
    public L1Loss(Reduction reduction = Reduction.Mean) => Reduction = LossErrors.CheckReduction("L1", reduction);

    /// <inheritdoc />
    public string Name => "L1";

    /// <inheritdoc />
    public bool ExpectsLogits => false;

    /// <inheritdoc />
    public Reduction Reduction { get; }

    /// <inheritdoc />
    /// <exception cref="NotSupportedException">Always: L1 needs target values, not class labels.</exception>
    public T Compute(Matrix<T> output, ReadOnlySpan<int> labels, Matrix<T>? outputGradient) => throw LossErrors.NeedsTargets(Name);

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The shapes differ, or a target is not finite.</exception>
    /// <exception cref="InvalidOperationException"><see cref="Reduction"/> is <see cref="Reduction.None"/>.</exception>
    public T Compute(Matrix<T> output, Matrix<T> targets, Matrix<T>? outputGradient) =>
        ElementwiseLoss.Compute(Name, Reduction, output, targets, outputGradient, new RobustError(0, 1));

    /// <inheritdoc />
    /// <exception cref="NotSupportedException">Always: L1 needs target values, not class labels.</exception>
    public void ComputePerSample(Matrix<T> output, ReadOnlySpan<int> labels, Span<T> losses) => throw LossErrors.NeedsTargets(Name);

    /// <inheritdoc />
    public void ComputePerSample(Matrix<T> output, Matrix<T> targets, Span<T> losses) =>
        ElementwiseLoss.PerSample(Name, output, targets, losses, new RobustError(0, 1));

    /// <inheritdoc />
    public override string ToString() => Reduction == Reduction.Mean ? Name : $"{Name}({Reduction})";
}
