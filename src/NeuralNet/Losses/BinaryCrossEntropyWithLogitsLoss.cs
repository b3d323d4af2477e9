using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Compute;

namespace NeuralNet.Losses;

/// <summary>
/// Binary cross-entropy on <b>logits</b>, one independent yes/no per output (multi-label classification), PyTorch's
/// <c>nn.BCEWithLogitsLoss</c>: per element, with logit <c>x</c>, target <c>y ∈ [0, 1]</c> and the output's positive
/// weight <c>p</c> (1 without <c>posWeight</c>),
/// <c>ℓ = −[p·y·log σ(x) + (1 − y)·log(1 − σ(x))]</c>; with the default <see cref="Reduction.Mean"/>, the mean over
/// batch × outputs.
/// </summary>
/// <remarks>
/// <para>
/// Computed in the stable form <c>ℓ = p·y·softplus(−x) + (1 − y)·softplus(x)</c> with
/// <c>softplus(x) = max(x, 0) + log(1 + e^(−|x|))</c>, so logits of ±1000 give exact, finite values.
/// Gradient: <c>∂ℓ/∂x = (1 − y)·σ(x) − p·y·(1 − σ(x))</c>, which is <c>σ(x) − y</c> for <c>p = 1</c>.
/// </para>
/// <para>
/// The network should end in the raw scores (a <see cref="Layers.Linear{T}"/> layer), not in a
/// <see cref="Layers.Sigmoid{T}"/>: the sigmoid is applied here. Predicted probabilities are <c>σ(output)</c>.
/// </para>
/// </remarks>
/// <typeparam name="T">Element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class BinaryCrossEntropyWithLogitsLoss<T> : ILoss<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly double[]? posWeight;

    /// <summary>Creates the loss.</summary>
    /// <param name="posWeight">
    /// PyTorch's <c>pos_weight</c>: one weight per output multiplying the positive term (above 1 raises recall, e.g.
    /// negatives ÷ positives for a rare label); finite and ≥ 0. <see langword="null"/> (default) weighs every output 1.
    /// </param>
    /// <param name="reduction">Mean over batch × outputs (default), sum, or none (per-sample values only).</param>
    /// <exception cref="ArgumentOutOfRangeException">A weight is negative or not finite, or <paramref name="reduction"/> is not a defined value.</exception>
    /// <exception cref="ArgumentException"><paramref name="posWeight"/> is empty.</exception>
    public BinaryCrossEntropyWithLogitsLoss(IReadOnlyList<double>? posWeight = null, Reduction reduction = Reduction.Mean)
    {
        this.posWeight = LossErrors.CheckWeights("BinaryCrossEntropyWithLogits", posWeight, nameof(posWeight), "positive weight");
        Reduction = LossErrors.CheckReduction("BinaryCrossEntropyWithLogits", reduction);
    }

    /// <summary>The positive weight of each output, or <see langword="null"/> when every output weighs 1.</summary>
    public IReadOnlyList<double>? PosWeight => posWeight;

    /// <inheritdoc />
    public string Name => "BinaryCrossEntropyWithLogits";

    /// <inheritdoc />
    public bool ExpectsLogits => true;

    /// <summary>Always <see langword="false"/>: the targets are a 0/1 (or soft) value per output, not one class label per sample.</summary>
    public bool TakesClassLabels => false;

    /// <inheritdoc />
    public Reduction Reduction { get; }

    /// <inheritdoc />
    /// <exception cref="NotSupportedException">Always: give a target in [0, 1] per output instead of class labels.</exception>
    public T Compute(Matrix<T> output, ReadOnlySpan<int> labels, Matrix<T>? outputGradient) => throw LossErrors.NeedsTargets(Name);

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The shapes differ, the positive weights do not match the outputs, or a target is outside [0, 1].</exception>
    /// <exception cref="InvalidOperationException"><see cref="Reduction"/> is <see cref="Reduction.None"/>.</exception>
    public T Compute(Matrix<T> output, Matrix<T> targets, Matrix<T>? outputGradient)
    {
        CheckWeights(output);
        return ElementwiseLoss.Compute(Name, Reduction, output, targets, outputGradient, new LogSigmoid(posWeight));
    }

    /// <inheritdoc />
    /// <exception cref="NotSupportedException">Always: give a target in [0, 1] per output instead of class labels.</exception>
    public void ComputePerSample(Matrix<T> output, ReadOnlySpan<int> labels, Span<T> losses) => throw LossErrors.NeedsTargets(Name);

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The shapes differ, the positive weights do not match the outputs, or a target is outside [0, 1].</exception>
    public void ComputePerSample(Matrix<T> output, Matrix<T> targets, Span<T> losses)
    {
        CheckWeights(output);
        ElementwiseLoss.PerSample(Name, output, targets, losses, new LogSigmoid(posWeight));
    }

    /// <inheritdoc />
    public override string ToString()
    {
        var settings = new List<string>();
        if (posWeight is not null)
        {
            settings.Add($"{posWeight.Length} positive weights");
        }

        if (Reduction != Reduction.Mean)
        {
            settings.Add(Reduction.ToString());
        }

        return settings.Count == 0 ? Name : $"{Name}({string.Join(", ", settings)})";
    }

    private void CheckWeights(Matrix<T> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        LossErrors.CheckWeightCount(Name, posWeight, output.RowCount, "positive weights", "outputs");
    }

    private readonly struct LogSigmoid(double[]? posWeight) : IElementLoss
    {
        public double Evaluate(double x, double t, int row, out double derivative)
        {
            double p = posWeight is null ? 1 : posWeight[row];
            double tail = AccurateMath.LogOnePlus(Math.Exp(-Math.Abs(x))); // log(1 + e^(−|x|)), shared by both softplus terms
            double softplusMinus = Math.Max(-x, 0) + tail;            // −log σ(x)
            double softplus = Math.Max(x, 0) + tail;                   // −log(1 − σ(x))
            double sigmoid = x >= 0 ? 1 / (1 + Math.Exp(-x)) : Math.Exp(x) / (1 + Math.Exp(x));
            derivative = ((1 - t) * sigmoid) - (p * t * (1 - sigmoid));
            double loss = 0;
            if (t != 0)
            {
                loss += p * t * softplusMinus;
            }

            if (t != 1)
            {
                loss += (1 - t) * softplus;
            }

            return loss;
        }

        public string? TargetError(double t) => t is >= 0 and <= 1 ? null : "binary cross-entropy targets must be in [0, 1]";
    }
}
