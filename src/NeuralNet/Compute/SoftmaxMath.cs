using System.Numerics;
using System.Numerics.Tensors;

namespace NeuralNet.Compute;

/// <summary>Stable softmax and log-sum-exp over one sample (a contiguous column).</summary>
internal static class SoftmaxMath
{
    /// <summary>
    /// Writes <c>softmax(z)</c> to <paramref name="probabilities"/> and returns the two parts of
    /// <c>LSE(z) = m + log Σ exp(z − m)</c>: the shift <c>m = max z</c> (0 when it is not finite) and
    /// <c>log Σ exp(z − m)</c>, so logits of ±1000 neither overflow nor underflow. Callers keep the parts apart
    /// (e.g. cross-entropy is <c>(m − z_y) + log Σ…</c>) so a tiny log-sum is not rounded away against a large <c>m</c>.
    /// </summary>
    public static (T Shift, T LogSum) Normalize<T>(ReadOnlySpan<T> z, Span<T> probabilities)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int argMax = TensorPrimitives.IndexOfMax(z);
        T max = z[argMax];
        if (!T.IsFinite(max))
        {
            TensorPrimitives.Exp(z, probabilities);
            T total = TensorPrimitives.Sum<T>(probabilities);
            TensorPrimitives.Divide(probabilities, total, probabilities);
            return (T.Zero, T.Log(total));
        }

        TensorPrimitives.Subtract(z, max, probabilities);
        TensorPrimitives.Exp(probabilities, probabilities);

        // The largest term is exactly exp(0) = 1; summing the others apart keeps log(1 + rest) accurate
        // for a confident prediction, where rest is tiny and 1 + rest would round it away.
        probabilities[argMax] = T.Zero;
        T rest = TensorPrimitives.Sum<T>(probabilities);
        probabilities[argMax] = T.One;
        TensorPrimitives.Divide(probabilities, T.One + rest, probabilities);
        return (max, AccurateMath.LogOnePlus(rest));
    }

    /// <summary>
    /// Softmax Jacobian-vector product for one sample: <c>dz = s ⊙ (g − ⟨g, s⟩)</c>.
    /// </summary>
    public static void SoftmaxBackward<T>(ReadOnlySpan<T> s, ReadOnlySpan<T> g, Span<T> dz)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T dot = TensorPrimitives.Dot(g, s);
        TensorPrimitives.Subtract(g, dot, dz);
        TensorPrimitives.Multiply(dz, s, dz);
    }
}
