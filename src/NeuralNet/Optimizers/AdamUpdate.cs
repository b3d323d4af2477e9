using System.Numerics;

namespace NeuralNet.Optimizers;

/// <summary>The element-wise Adam moment update and step of <see cref="Adam{T}"/> (and so of <see cref="AdamW{T}"/>), coupled or decoupled decay.</summary>
internal static class AdamUpdate
{
    /// <summary>
    /// For every element: <c>θ ← θ − ηλ_dθ</c> (decoupled decay, when <paramref name="decoupledDecay"/> ≠ 0, with the
    /// gradient taken before it), <c>g ← g + λθ</c> (coupled L2, when <paramref name="l2"/> ≠ 0),
    /// <c>m ← β₁m + (1 − β₁)g</c>, <c>v ← β₂v + (1 − β₂)g²</c>,
    /// <c>θ ← θ − (η / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε)</c>.
    /// </summary>
    /// <remarks>
    /// The bias corrections are folded into the step size and the denominator, as PyTorch's implementation does;
    /// this equals <c>θ ← θ − η·m̂ / (√v̂ + ε)</c> with <c>m̂ = m/(1 − β₁ᵗ)</c>, <c>v̂ = v/(1 − β₂ᵗ)</c>.
    /// The corrections are computed in double precision and only then converted to <typeparamref name="T"/>.
    /// </remarks>
    public static void Apply<T>(
        Span<T> theta, ReadOnlySpan<T> gradient, Span<T> m, Span<T> v, double learningRate, double beta1, double beta2, double epsilon, double l2, double decoupledDecay, long step)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double correction1 = 1 - Math.Pow(beta1, step);
        double correction2 = 1 - Math.Pow(beta2, step);
        T stepSize = T.CreateChecked(learningRate / correction1);
        T correction2Root = T.CreateChecked(Math.Sqrt(correction2));
        T b1 = T.CreateChecked(beta1);
        T b2 = T.CreateChecked(beta2);
        T oneMinusB1 = T.CreateChecked(1 - beta1);
        T oneMinusB2 = T.CreateChecked(1 - beta2);
        T eps = T.CreateChecked(epsilon);
        T lambda = T.CreateChecked(l2);
        bool coupled = l2 != 0;
        bool decoupled = decoupledDecay != 0;
        T shrink = T.CreateChecked(1 - (learningRate * decoupledDecay));
        int i = 0;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
        {
            // Same operations in the same order as the scalar loop below (no fused multiply-add), so both paths
            // round identically and the result does not depend on the vector width.
            var b1v = new Vector<T>(b1);
            var b2v = new Vector<T>(b2);
            var oneMinusB1v = new Vector<T>(oneMinusB1);
            var oneMinusB2v = new Vector<T>(oneMinusB2);
            var epsv = new Vector<T>(eps);
            var lambdav = new Vector<T>(lambda);
            var stepSizev = new Vector<T>(stepSize);
            var correction2Rootv = new Vector<T>(correction2Root);
            var shrinkv = new Vector<T>(shrink);
            for (; i <= theta.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                var t = new Vector<T>(theta[i..]);
                var g = new Vector<T>(gradient[i..]);
                if (coupled)
                {
                    g += lambdav * t;
                }

                if (decoupled)
                {
                    t *= shrinkv;
                }

                Vector<T> mi = (b1v * new Vector<T>(m[i..])) + (oneMinusB1v * g);
                Vector<T> vi = (b2v * new Vector<T>(v[i..])) + (oneMinusB2v * g * g);
                mi.CopyTo(m[i..]);
                vi.CopyTo(v[i..]);
                (t - (stepSizev * mi / ((Vector.SquareRoot(vi) / correction2Rootv) + epsv))).CopyTo(theta[i..]);
            }
        }

        for (; i < theta.Length; i++)
        {
            T g = coupled ? gradient[i] + (lambda * theta[i]) : gradient[i];
            if (decoupled)
            {
                theta[i] *= shrink;
            }

            T mi = (b1 * m[i]) + (oneMinusB1 * g);
            T vi = (b2 * v[i]) + (oneMinusB2 * g * g);
            m[i] = mi;
            v[i] = vi;
            theta[i] -= stepSize * mi / ((T.Sqrt(vi) / correction2Root) + eps);
        }
    }
}
