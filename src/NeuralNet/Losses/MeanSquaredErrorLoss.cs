using System.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace NeuralNet.Losses;

/// <summary>
/// Squared error, <c>ℓ = (ŷ − y)²</c> per element; with the default <see cref="Reduction.Mean"/>,
/// <c>L = (1 / (N·D)) Σ (ŷ − y)²</c> over a batch of <c>N</c> samples with <c>D</c> outputs each (PyTorch's
/// <c>nn.MSELoss</c>: the mean is over batch × outputs, not over the batch alone). Pair it with an
/// <see cref="Layers.Identity{T}"/> output for regression.
/// </summary>
/// <remarks>Gradient: <c>∂L/∂ŷ = 2 (ŷ − y) / (N·D)</c> (without the <c>1/(N·D)</c> for <see cref="Reduction.Sum"/>).</remarks>
/// <typeparam name="T">Element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class MeanSquaredErrorLoss<T> : ILoss<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates the loss.</summary>
    /// <param name="reduction">Mean over batch × outputs (default), sum, or none (per-sample values only).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="reduction"/> is not a defined value.</exception>
    public MeanSquaredErrorLoss(Reduction reduction = Reduction.Mean) => Reduction = LossErrors.CheckReduction("MeanSquaredError", reduction);

    /// <inheritdoc />
    public string Name => "MeanSquaredError";

    /// <inheritdoc />
    public bool ExpectsLogits => false;

    /// <inheritdoc />
    public Reduction Reduction { get; }

    /// <inheritdoc />
    /// <exception cref="NotSupportedException">Always: squared error needs target values, not class labels.</exception>
    public T Compute(Matrix<T> output, ReadOnlySpan<int> labels, Matrix<T>? outputGradient) => throw LossErrors.NeedsTargets(Name);

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The shapes differ, or a target is not finite.</exception>
    /// <exception cref="InvalidOperationException"><see cref="Reduction"/> is <see cref="Reduction.None"/>.</exception>
    public T Compute(Matrix<T> output, Matrix<T> targets, Matrix<T>? outputGradient) =>
        ElementwiseLoss.Compute(Name, Reduction, output, targets, outputGradient, default(Squared));

    /// <inheritdoc />
    /// <exception cref="NotSupportedException">Always: squared error needs target values, not class labels.</exception>
    public void ComputePerSample(Matrix<T> output, ReadOnlySpan<int> labels, Span<T> losses) => throw LossErrors.NeedsTargets(Name);

    /// <inheritdoc />
    public void ComputePerSample(Matrix<T> output, Matrix<T> targets, Span<T> losses) =>
        ElementwiseLoss.PerSample(Name, output, targets, losses, default(Squared));

    /// <inheritdoc />
    public override string ToString() => Reduction == Reduction.Mean ? Name : $"{Name}({Reduction})";

    private readonly struct Squared : IElementLoss
    {
        public double Evaluate(double x, double t, int row, out double derivative)
        {
            double d = x - t;
            derivative = 2 * d;
            return d * d;
        }

        public string? TargetError(double t) => double.IsFinite(t) ? null : "targets must be finite";
    }
}
