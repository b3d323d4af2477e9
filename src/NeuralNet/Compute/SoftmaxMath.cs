using System.Numerics;
using System.Numerics.Tensors;

namespace NeuralNet.Compute;

/// <summary>Stable softmax and log-sum-exp over one sample (a contiguous column).</summary>
internal static class SoftmaxMath
{
    /// <summary>
    /// Writes <c>softmax(z)</c> to <paramref name="probabilities"/> and returns <c>LSE(z) = m + log Σ exp(z − m)</c>
    /// with <c>m = max z</c> (0 when <c>m</c> is not finite), so logits of ±1000 neither overflow nor underflow.
    /// </summary>
    public static T SoftmaxAndLogSumExp<T>(ReadOnlySpan<T> z, Span<T> probabilities)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T max = TensorPrimitives.Max(z);
        T shift = T.IsFinite(max) ? max : T.Zero;
        TensorPrimitives.Subtract(z, shift, probabilities);
        TensorPrimitives.Exp(probabilities, probabilities);
        T sum = TensorPrimitives.Sum<T>(probabilities);
        TensorPrimitives.Divide(probabilities, sum, probabilities);
        return shift + T.Log(sum);
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
