using System.Buffers;
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
    /// Float softmax of one sample computed in double and rounded once: <c>e^(zⱼ − m)</c> in float carries the rounding of
    /// <c>zⱼ − m</c> (up to half an ulp of |zⱼ − m|, so 2⁻¹⁸ relative at |zⱼ − m| ≈ 100) into every small probability.
    /// <paramref name="probabilities"/> may alias <paramref name="z"/>.
    /// </summary>
    public static void NormalizeInDouble(ReadOnlySpan<float> z, Span<float> probabilities)
    {
        int argMax = TensorPrimitives.IndexOfMax(z);
        float max = z[argMax];
        if (!float.IsFinite(max))
        {
            Normalize(z, probabilities);
            return;
        }

        double[]? rented = null;
        Span<double> e = z.Length <= 256 ? stackalloc double[z.Length] : (rented = ArrayPool<double>.Shared.Rent(z.Length)).AsSpan(0, z.Length);
        double rest = 0;
        for (int j = 0; j < z.Length; j++)
        {
            e[j] = j == argMax ? 0 : Math.Exp((double)z[j] - max);
            rest += e[j];
        }

        e[argMax] = 1;
        double total = 1 + rest;
        for (int j = 0; j < z.Length; j++)
        {
            probabilities[j] = (float)(e[j] / total);
        }

        if (rented is not null)
        {
            ArrayPool<double>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// The float Jacobian-vector product <c>dz = s ⊙ (g − ⟨g, s⟩)</c> in double, without the cancellation of
    /// <c>g − ⟨g, s⟩</c> when one probability is near 1: with <c>k</c> the largest probability and <c>sₖ = 1 − Σ_{j≠k} sⱼ</c>,
    /// <c>gᵢ − ⟨g, s⟩ = (gᵢ − gₖ) + Σ_{j≠k} (gₖ − gⱼ)·sⱼ</c>, which never forms <c>1 − sₖ</c>.
    /// </summary>
    public static void SoftmaxBackwardInDouble(ReadOnlySpan<float> s, ReadOnlySpan<float> g, Span<float> dz)
    {
        int k = TensorPrimitives.IndexOfMax(s);
        double gk = g[k];
        double others = 0;
        for (int j = 0; j < s.Length; j++)
        {
            if (j != k)
            {
                others += (gk - g[j]) * (double)s[j];
            }
        }

        for (int i = 0; i < s.Length; i++)
        {
            dz[i] = (float)(s[i] * ((g[i] - gk) + others));
        }
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
