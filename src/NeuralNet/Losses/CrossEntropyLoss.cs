using System.Buffers;
using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Compute;

namespace NeuralNet.Losses;

/// <summary>
/// Cross-entropy on <b>logits</b> (raw scores), through a fused, stable log-softmax, PyTorch's
/// <c>nn.CrossEntropyLoss</c> (with its <c>weight</c> and <c>label_smoothing</c>): <c>ℓ = LSE(z) − z_y</c> for a class
/// label <c>y</c>, or <c>ℓ = Σ_c t_c (LSE(z) − z_c)</c> for a probability target <c>t</c>; with the default
/// <see cref="Reduction.Mean"/>, the mean over the batch.
/// </summary>
/// <remarks>
/// <para>
/// <b>Class weights</b> <c>w</c> (PyTorch's <c>weight</c>) scale each class's term: <c>ℓ = w_y (LSE − z_y)</c> for a
/// label, <c>ℓ = Σ_c w_c t_c (LSE − z_c)</c> for a target. The mean over a batch of labels divides by the summed
/// weights of the samples' labels, <c>Σ_j w_(y_j)</c>, not by <c>N</c>; the mean over a batch of probability targets
/// divides by <c>N</c> (both as PyTorch).
/// </para>
/// <para>
/// <b>Label smoothing</b> <c>ε</c> (PyTorch's <c>label_smoothing</c>) trains against <c>(1 − ε)·t + ε / C</c> over
/// <c>C</c> classes, where <c>t</c> is the one-hot label or the probability target. For labels with weights this is
/// PyTorch's <c>(1 − ε)·w_y (LSE − z_y) + (ε / C) Σ_c w_c (LSE − z_c)</c>, with the same denominator <c>Σ_j w_(y_j)</c>.
/// </para>
/// <para>
/// Gradient: writing every sample's loss as <c>Σ_c q_c (LSE − z_c)</c>, <c>∂ℓ/∂z = (Σ_c q_c)·softmax(z) − q</c>,
/// divided by the mean's denominator. <c>LSE(z) = m + log Σ exp(z − m)</c> with <c>m = max z</c>, so logits of ±1000
/// stay exact. Do not put a <see cref="Layers.Softmax{T}"/> layer in front of this loss (softmax would be applied
/// twice); the trainer refuses that combination.
/// </para>
/// </remarks>
/// <typeparam name="T">Element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class CrossEntropyLoss<T> : ILoss<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly double[]? classWeights;

    /// <summary>Creates the loss.</summary>
    /// <param name="reduction">Mean over the batch (default), sum, or none (per-sample values only).</param>
    /// <param name="classWeights">One weight per class, finite and ≥ 0 (PyTorch's <c>weight</c>), or <see langword="null"/> (default) for equal weights.</param>
    /// <param name="labelSmoothing">The smoothing <c>ε</c> in [0, 1); default 0 (none).</param>
    /// <exception cref="ArgumentOutOfRangeException">A weight is negative or not finite, <paramref name="labelSmoothing"/> is outside [0, 1), or <paramref name="reduction"/> is not a defined value.</exception>
    /// <exception cref="ArgumentException"><paramref name="classWeights"/> is empty.</exception>
    public CrossEntropyLoss(Reduction reduction = Reduction.Mean, IReadOnlyList<double>? classWeights = null, double labelSmoothing = 0)
    {
        Reduction = LossErrors.CheckReduction("CrossEntropy", reduction);
        this.classWeights = LossErrors.CheckWeights("CrossEntropy", classWeights, nameof(classWeights), "class weight");
        if (!(labelSmoothing >= 0 && labelSmoothing < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(labelSmoothing), labelSmoothing, $"CrossEntropy: the label smoothing must be in [0, 1), got {labelSmoothing}.");
        }

        LabelSmoothing = labelSmoothing;
    }

    /// <inheritdoc />
    public string Name => "CrossEntropy";

    /// <inheritdoc />
    public bool ExpectsLogits => true;

    /// <inheritdoc />
    public Reduction Reduction { get; }

    /// <summary>The weight of each class, or <see langword="null"/> when all weigh 1.</summary>
    public IReadOnlyList<double>? ClassWeights => classWeights;

    /// <summary>The label smoothing <c>ε</c> in [0, 1).</summary>
    public double LabelSmoothing { get; }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The shapes differ, the number of labels is not the batch size, the class weights do not match the classes, or the labels' weights sum to 0 under <see cref="Reduction.Mean"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A label is outside the classes.</exception>
    /// <exception cref="InvalidOperationException"><see cref="Reduction"/> is <see cref="Reduction.None"/>.</exception>
    public T Compute(Matrix<T> output, ReadOnlySpan<int> labels, Matrix<T>? outputGradient)
    {
        CheckLabels(output, labels);
        LossErrors.CheckSameShape(Name, output, outputGradient, "the output gradient", nameof(outputGradient));
        if (Reduction == Reduction.None)
        {
            throw LossErrors.NoScalar(Name);
        }

        double denominator = 1;
        if (Reduction == Reduction.Mean)
        {
            denominator = labels.Length;
            if (classWeights is not null)
            {
                denominator = 0;
                foreach (int label in labels)
                {
                    denominator += classWeights[label];
                }

                if (denominator == 0)
                {
                    throw new ArgumentException($"{Name}: the class weights of the batch's labels sum to 0, so their weighted mean is undefined.", nameof(labels));
                }
            }
        }

        return T.CreateChecked(Run(output, labels, null, outputGradient, 1 / denominator, default) / denominator);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The shapes differ, or the class weights do not match the classes.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A target is negative or not finite.</exception>
    /// <exception cref="InvalidOperationException"><see cref="Reduction"/> is <see cref="Reduction.None"/>.</exception>
    public T Compute(Matrix<T> output, Matrix<T> targets, Matrix<T>? outputGradient)
    {
        CheckTargets(output, targets);
        LossErrors.CheckSameShape(Name, output, outputGradient, "the output gradient", nameof(outputGradient));
        if (Reduction == Reduction.None)
        {
            throw LossErrors.NoScalar(Name);
        }

        double denominator = Reduction == Reduction.Mean ? output.ColumnCount : 1;
        return T.CreateChecked(Run(output, default, targets, outputGradient, 1 / denominator, default) / denominator);
    }

    /// <inheritdoc />
    /// <remarks>Sample <c>j</c>'s loss, weighted and smoothed but not divided (PyTorch's <c>reduction='none'</c>).</remarks>
    /// <exception cref="ArgumentException">The shapes or lengths differ, or the class weights do not match the classes.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A label is outside the classes.</exception>
    public void ComputePerSample(Matrix<T> output, ReadOnlySpan<int> labels, Span<T> losses)
    {
        CheckLabels(output, labels);
        LossErrors.CheckPerSample(Name, output.ColumnCount, losses.Length);
        Run(output, labels, null, null, 1, losses);
    }

    /// <inheritdoc />
    /// <remarks>Sample <c>j</c>'s loss, weighted and smoothed but not divided (PyTorch's <c>reduction='none'</c>).</remarks>
    /// <exception cref="ArgumentException">The shapes or lengths differ, or the class weights do not match the classes.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A target is negative or not finite.</exception>
    public void ComputePerSample(Matrix<T> output, Matrix<T> targets, Span<T> losses)
    {
        CheckTargets(output, targets);
        LossErrors.CheckPerSample(Name, output.ColumnCount, losses.Length);
        Run(output, default, targets, null, 1, losses);
    }

    /// <inheritdoc />
    public override string ToString()
    {
        var settings = new List<string>();
        if (Reduction != Reduction.Mean)
        {
            settings.Add(Reduction.ToString());
        }

        if (classWeights is not null)
        {
            settings.Add($"{classWeights.Length} class weights");
        }

        if (LabelSmoothing != 0)
        {
            settings.Add(string.Create(CultureInfo.InvariantCulture, $"label smoothing {LabelSmoothing}"));
        }

        return settings.Count == 0 ? Name : $"{Name}({string.Join(", ", settings)})";
    }

    private void CheckLabels(Matrix<T> output, ReadOnlySpan<int> labels)
    {
        LossErrors.CheckOutput(Name, output);
        LossErrors.CheckLabels(Name, labels, output.ColumnCount, output.RowCount);
        LossErrors.CheckWeightCount(Name, classWeights, output.RowCount, "class weights", "classes");
    }

    private void CheckTargets(Matrix<T> output, Matrix<T> targets)
    {
        LossErrors.CheckOutput(Name, output);
        ArgumentNullException.ThrowIfNull(targets);
        LossErrors.CheckSameShape(Name, output, targets, "the targets", nameof(targets));
        LossErrors.CheckWeightCount(Name, classWeights, output.RowCount, "class weights", "classes");
        T[] t = DenseStorage.Of(targets, nameof(targets));
        int classes = output.RowCount;
        for (int i = 0; i < t.Length; i++)
        {
            if (!(t[i] >= T.Zero) || !T.IsFinite(t[i]))
            {
                throw new ArgumentOutOfRangeException(
                    nameof(targets), t[i], $"{Name}: target probability of class {i % classes} for sample {i / classes} must be finite and non-negative.");
            }
        }
    }

    /// <summary>
    /// The summed loss of the batch, with every sample's loss written to <paramref name="perSample"/> (if not empty) and
    /// its gradient times <paramref name="scale"/> to <paramref name="outputGradient"/> (if not null). Exactly one of
    /// <paramref name="labels"/> (non-empty) and <paramref name="targets"/> is given; both are already checked.
    /// </summary>
    private double Run(Matrix<T> output, ReadOnlySpan<int> labels, Matrix<T>? targets, Matrix<T>? outputGradient, double scale, Span<T> perSample)
    {
        int classes = output.RowCount, batch = output.ColumnCount;
        T[] z = DenseStorage.Of(output, nameof(output));
        T[]? t = targets is null ? null : DenseStorage.Of(targets, nameof(targets));
        bool plain = classWeights is null && LabelSmoothing == 0;
        T[] rented = ArrayPool<T>.Shared.Rent(2 * classes);
        try
        {
            T[]? g = outputGradient is null ? null : DenseStorage.Of(outputGradient, nameof(outputGradient));
            Span<T> q = rented.AsSpan(classes, classes); // the sample's effective target: Σ_c q_c (LSE − z_c)
            T factor = T.CreateChecked(scale);
            double total = 0;
            for (int j = 0; j < batch; j++)
            {
                ReadOnlySpan<T> logits = z.AsSpan(j * classes, classes);
                Span<T> column = g is null ? rented.AsSpan(0, classes) : g.AsSpan(j * classes, classes);
                (T shift, T logSum) = SoftmaxMath.Normalize(logits, column);
                if (t is null && plain)
                {
                    // The common case: one term, LSE − z_y, gradient softmax − onehot.
                    int y = labels[j];
                    T sample = (shift - logits[y]) + logSum;
                    total += double.CreateChecked(sample);
                    if (!perSample.IsEmpty)
                    {
                        perSample[j] = sample;
                    }

                    if (g is not null)
                    {
                        column[y] -= T.One;
                        TensorPrimitives.Multiply(column, factor, column);
                    }

                    continue;
                }

                EffectiveTarget(labels, t, j, q);

                // Σ_c q_c ((m − z_c) + logSum); terms with q_c = 0 contribute exactly nothing.
                T loss = T.Zero;
                for (int c = 0; c < classes; c++)
                {
                    if (q[c] != T.Zero)
                    {
                        loss += q[c] * ((shift - logits[c]) + logSum);
                    }
                }

                total += double.CreateChecked(loss);
                if (!perSample.IsEmpty)
                {
                    perSample[j] = loss;
                }

                if (g is not null)
                {
                    T mass = TensorPrimitives.Sum<T>(q);
                    if (mass != T.One)
                    {
                        TensorPrimitives.Multiply(column, mass, column);
                    }

                    TensorPrimitives.Subtract(column, q, column);
                    TensorPrimitives.Multiply(column, factor, column);
                }
            }

            return total;
        }
        finally
        {
            ArrayPool<T>.Shared.Return(rented);
        }
    }

    /// <summary><c>q_c = w_c·((1 − ε)·t_c + ε / C)</c>, with <c>t</c> the one-hot label or the probability target of sample <paramref name="j"/>.</summary>
    private void EffectiveTarget(ReadOnlySpan<int> labels, T[]? t, int j, Span<T> q)
    {
        int classes = q.Length;
        T keep = T.CreateChecked(1 - LabelSmoothing);
        T spread = T.CreateChecked(LabelSmoothing / classes);
        if (t is null)
        {
            q.Fill(spread);
            q[labels[j]] += keep;
        }
        else
        {
            ReadOnlySpan<T> target = t.AsSpan(j * classes, classes);
            if (LabelSmoothing == 0)
            {
                target.CopyTo(q);
            }
            else
            {
                for (int c = 0; c < classes; c++)
                {
                    q[c] = (keep * target[c]) + spread;
                }
            }
        }

        if (classWeights is not null)
        {
            for (int c = 0; c < classes; c++)
            {
                q[c] *= T.CreateChecked(classWeights[c]);
            }
        }
    }
}
