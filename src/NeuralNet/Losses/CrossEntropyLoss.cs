using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Compute;

namespace NeuralNet.Losses;

/// <summary>
/// Cross-entropy on <b>logits</b> (raw scores), through a fused, stable log-softmax:
/// <c>ℓ = LSE(z) − z_y</c> for a class label <c>y</c>, or <c>ℓ = Σ_c t_c (LSE(z) − z_c)</c> for a probability
/// target <c>t</c>; the result is the mean over the batch.
/// </summary>
/// <remarks>
/// <para>Gradient: <c>∂L/∂z = ((Σt)·softmax(z) − t) / N</c> for a batch of <c>N</c> (<c>Σt = 1</c> for a probability or one-hot target).</para>
/// <para>
/// <c>LSE(z) = m + log Σ exp(z − m)</c> with <c>m = max z</c>, so logits of ±1000 stay exact. Do not put a
/// <see cref="Layers.Softmax{T}"/> layer in front of this loss (softmax would be applied twice); the trainer refuses
/// that combination. This is PyTorch's <c>nn.CrossEntropyLoss</c>.
/// </para>
/// </remarks>
/// <typeparam name="T">Element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class CrossEntropyLoss<T> : ILoss<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc />
    public string Name => "CrossEntropy";

    /// <inheritdoc />
    public bool ExpectsLogits => true;

    /// <inheritdoc />
    public T Compute(Matrix<T> output, ReadOnlySpan<int> labels, Matrix<T>? outputGradient)
    {
        LossErrors.CheckOutput(Name, output);
        LossErrors.CheckSameShape(Name, output, outputGradient, "the output gradient", nameof(outputGradient));
        int classes = output.RowCount, batch = output.ColumnCount;
        LossErrors.CheckLabels(Name, labels, batch, classes);
        T[] z = DenseStorage.Of(output, nameof(output));
        T[]? rented = outputGradient is null ? ArrayPool<T>.Shared.Rent(classes) : null;
        try
        {
            T[] g = outputGradient is null ? rented! : DenseStorage.Of(outputGradient, nameof(outputGradient));
            T inverseBatch = T.One / T.CreateChecked(batch);
            double total = 0;
            for (int j = 0; j < batch; j++)
            {
                ReadOnlySpan<T> logits = z.AsSpan(j * classes, classes);
                Span<T> column = outputGradient is null ? g.AsSpan(0, classes) : g.AsSpan(j * classes, classes);
                (T shift, T logSum) = SoftmaxMath.Normalize(logits, column);
                total += double.CreateChecked((shift - logits[labels[j]]) + logSum);
                if (outputGradient is not null)
                {
                    column[labels[j]] -= T.One;
                    TensorPrimitives.Multiply(column, inverseBatch, column);
                }
            }

            return T.CreateChecked(total / batch);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<T>.Shared.Return(rented);
            }
        }
    }

    /// <inheritdoc />
    public T Compute(Matrix<T> output, Matrix<T> targets, Matrix<T>? outputGradient)
    {
        LossErrors.CheckOutput(Name, output);
        ArgumentNullException.ThrowIfNull(targets);
        LossErrors.CheckSameShape(Name, output, targets, "the targets", nameof(targets));
        LossErrors.CheckSameShape(Name, output, outputGradient, "the output gradient", nameof(outputGradient));
        int classes = output.RowCount, batch = output.ColumnCount;
        T[] z = DenseStorage.Of(output, nameof(output));
        T[] t = DenseStorage.Of(targets, nameof(targets));
        T[]? rented = outputGradient is null ? ArrayPool<T>.Shared.Rent(classes) : null;
        try
        {
            T[] g = outputGradient is null ? rented! : DenseStorage.Of(outputGradient, nameof(outputGradient));
            T inverseBatch = T.One / T.CreateChecked(batch);
            double total = 0;
            for (int j = 0; j < batch; j++)
            {
                ReadOnlySpan<T> logits = z.AsSpan(j * classes, classes);
                ReadOnlySpan<T> target = t.AsSpan(j * classes, classes);
                CheckTarget(target, j);
                Span<T> column = outputGradient is null ? g.AsSpan(0, classes) : g.AsSpan(j * classes, classes);
                (T shift, T logSum) = SoftmaxMath.Normalize(logits, column);

                // Σ_c t_c (LSE − z_c) = Σ_c t_c ((m − z_c) + logSum); terms with t_c = 0 contribute exactly nothing.
                T sample = T.Zero;
                for (int c = 0; c < classes; c++)
                {
                    if (target[c] != T.Zero)
                    {
                        sample += target[c] * ((shift - logits[c]) + logSum);
                    }
                }

                total += double.CreateChecked(sample);
                if (outputGradient is not null)
                {
                    // ∂/∂z Σ_c t_c (LSE − z_c) = (Σ t)·softmax(z) − t; Σ t = 1 for a probability target.
                    T mass = TensorPrimitives.Sum(target);
                    if (mass != T.One)
                    {
                        TensorPrimitives.Multiply(column, mass, column);
                    }

                    TensorPrimitives.Subtract(column, target, column);
                    TensorPrimitives.Multiply(column, inverseBatch, column);
                }
            }

            return T.CreateChecked(total / batch);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<T>.Shared.Return(rented);
            }
        }
    }

    /// <inheritdoc />
    public override string ToString() => Name;

    private void CheckTarget(ReadOnlySpan<T> target, int sample)
    {
        for (int c = 0; c < target.Length; c++)
        {
            if (!(target[c] >= T.Zero) || !T.IsFinite(target[c]))
            {
                throw new ArgumentOutOfRangeException(
                    "targets", target[c], $"{Name}: target probability of class {c} for sample {sample} must be finite and non-negative.");
            }
        }
    }
}
