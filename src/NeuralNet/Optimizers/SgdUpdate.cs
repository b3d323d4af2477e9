using System.Numerics;
using System.Numerics.Tensors;

namespace NeuralNet.Optimizers;

/// <summary>The element-wise update of <see cref="Sgd{T}"/>: coupled weight decay, then plain, momentum or Nesterov steps.</summary>
internal static class SgdUpdate
{
    /// <summary>
    /// Elements per chunk: 2,048 floats are 8 KB per array, so θ, g and Δθ (24 KB) share the 32 KB L1 data cache.
    /// </summary>
    private const int ChunkLength = 2048;

    /// <summary>
    /// For every element: <c>g ← g + λθ</c> (written back into <paramref name="gradient"/>, when <paramref name="weightDecay"/> ≠ 0),
    /// then <c>θ ← θ − η·g</c> (momentum 0), or <c>Δθ ← α·Δθ − η·g</c> and <c>θ ← θ + Δθ</c>
    /// (Nesterov: <c>θ ← θ + α·Δθ − η·g</c>).
    /// </summary>
    /// <param name="theta">The parameter's values.</param>
    /// <param name="gradient">Its gradient; receives <c>g + λθ</c> when decay is on.</param>
    /// <param name="velocity">Its velocity <c>Δθ</c>; unused (may be empty) when <paramref name="momentum"/> is 0.</param>
    /// <param name="learningRate">Step size <c>η</c>.</param>
    /// <param name="momentum">Momentum <c>α</c>.</param>
    /// <param name="nesterov">Whether to look ahead along the new velocity.</param>
    /// <param name="weightDecay">Coupled L2 penalty <c>λ</c>.</param>
    public static void Apply<T>(Span<T> theta, Span<T> gradient, Span<T> velocity, double learningRate, double momentum, bool nesterov, double weightDecay)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T eta = T.CreateChecked(learningRate);
        T alpha = T.CreateChecked(momentum);
        T lambda = T.CreateChecked(weightDecay);
        bool decay = weightDecay != 0;
        bool withMomentum = momentum != 0;

        // Chunk by chunk, so the three or four passes below find θ, g and Δθ in the L1 cache instead of streaming
        // each whole array from memory once per pass; the element-wise arithmetic is the same as one pass each.
        for (int start = 0; start < theta.Length; start += ChunkLength)
        {
            int length = Math.Min(ChunkLength, theta.Length - start);
            Span<T> t = theta.Slice(start, length);
            Span<T> g = gradient.Slice(start, length);
            if (decay)
            {
                // g ← g + λθ, in place: the stored gradient becomes the one actually used.
                TensorPrimitives.MultiplyAdd(t, lambda, g, g);
            }

            if (!withMomentum)
            {
                // θ ← θ − η·g
                TensorPrimitives.MultiplyAdd(g, -eta, t, t);
                continue;
            }

            // Δθ ← α·Δθ − η·g
            Span<T> v = velocity.Slice(start, length);
            TensorPrimitives.Multiply(v, alpha, v);
            TensorPrimitives.MultiplyAdd(g, -eta, v, v);
            if (nesterov)
            {
                // θ ← θ + α·Δθ − η·g
                TensorPrimitives.MultiplyAdd(v, alpha, t, t);
                TensorPrimitives.MultiplyAdd(g, -eta, t, t);
            }
            else
            {
                // θ ← θ + Δθ
                TensorPrimitives.Add(t, v, t);
            }
        }
    }
}
