using System.Numerics;

namespace NeuralNet.Optimizers;

/// <summary>The element-wise update of <see cref="RmsProp{T}"/>: squared-gradient average, optional centering and momentum.</summary>
internal static class RmsPropUpdate
{
    /// <summary>
    /// For every element: <c>g ← g + λθ</c> (when <paramref name="weightDecay"/> ≠ 0), <c>v ← αv + (1 − α)g²</c>,
    /// <c>ṽ = v − ḡ²</c> with <c>ḡ ← αḡ + (1 − α)g</c> (centered) or <c>ṽ = v</c>,
    /// <c>s = g / (√ṽ + ε)</c>, <c>b ← μb + s</c> and <c>s = b</c> (momentum), <c>θ ← θ − η·s</c>.
    /// </summary>
    /// <param name="theta">The parameter's values.</param>
    /// <param name="gradient">Its gradient (not changed).</param>
    /// <param name="square">The squared-gradient average <c>v</c>.</param>
    /// <param name="mean">The gradient average <c>ḡ</c>; used only when <paramref name="centered"/>.</param>
    /// <param name="velocity">The momentum buffer <c>b</c>; used only when <paramref name="momentum"/> ≠ 0.</param>
    /// <param name="learningRate">Step size <c>η</c>.</param>
    /// <param name="alpha">Smoothing constant <c>α</c>.</param>
    /// <param name="epsilon">Denominator term <c>ε</c>.</param>
    /// <param name="weightDecay">Coupled L2 penalty <c>λ</c>.</param>
    /// <param name="momentum">Momentum <c>μ</c>.</param>
    /// <param name="centered">Whether to divide by the variance estimate <c>v − ḡ²</c>.</param>
    public static void Apply<T>(
        Span<T> theta, ReadOnlySpan<T> gradient, Span<T> square, Span<T> mean, Span<T> velocity,
        double learningRate, double alpha, double epsilon, double weightDecay, double momentum, bool centered)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var c = new Coefficients<T>(learningRate, alpha, epsilon, weightDecay, momentum, centered);
        int i = 0;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
        {
            i = ApplyVectors(theta, gradient, square, mean, velocity, c);
        }

        for (; i < theta.Length; i++)
        {
            T g = c.Decay ? gradient[i] + (c.Lambda * theta[i]) : gradient[i];
            T v = (c.A * square[i]) + (c.OneMinusA * g * g);
            square[i] = v;
            if (c.Centered)
            {
                T gBar = (c.A * mean[i]) + (c.OneMinusA * g);
                mean[i] = gBar;
                v -= gBar * gBar;
            }

            T step = g / (T.Sqrt(v) + c.Eps);
            if (c.Momentum)
            {
                step += c.Mu * velocity[i];
                velocity[i] = step;
            }

            theta[i] -= c.Eta * step;
        }
    }

    /// <summary>
    /// The update over whole SIMD vectors, with the same operations in the same order as the scalar loop (no fused
    /// multiply-add), so results do not depend on the vector width. Returns the index where the scalar tail starts.
    /// </summary>
    private static int ApplyVectors<T>(
        Span<T> theta, ReadOnlySpan<T> gradient, Span<T> square, Span<T> mean, Span<T> velocity, in Coefficients<T> c)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var etaV = new Vector<T>(c.Eta);
        var aV = new Vector<T>(c.A);
        var oneMinusAV = new Vector<T>(c.OneMinusA);
        var epsV = new Vector<T>(c.Eps);
        var lambdaV = new Vector<T>(c.Lambda);
        var muV = new Vector<T>(c.Mu);
        int i = 0;
        for (; i <= theta.Length - Vector<T>.Count; i += Vector<T>.Count)
        {
            var t = new Vector<T>(theta[i..]);
            var g = new Vector<T>(gradient[i..]);
            if (c.Decay)
            {
                g += lambdaV * t;
            }

            Vector<T> v = (aV * new Vector<T>(square[i..])) + (oneMinusAV * g * g);
            v.CopyTo(square[i..]);
            if (c.Centered)
            {
                Vector<T> gBar = (aV * new Vector<T>(mean[i..])) + (oneMinusAV * g);
                gBar.CopyTo(mean[i..]);
                v -= gBar * gBar;
            }

            Vector<T> step = g / (Vector.SquareRoot(v) + epsV);
            if (c.Momentum)
            {
                step += muV * new Vector<T>(velocity[i..]);
                step.CopyTo(velocity[i..]);
            }

            (t - (etaV * step)).CopyTo(theta[i..]);
        }

        return i;
    }

    /// <summary>The hyper-parameters converted to <typeparamref name="T"/> once per parameter.</summary>
    private readonly struct Coefficients<T>(double learningRate, double alpha, double epsilon, double weightDecay, double momentum, bool centered)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public T Eta { get; } = T.CreateChecked(learningRate);

        public T A { get; } = T.CreateChecked(alpha);

        public T OneMinusA { get; } = T.CreateChecked(1 - alpha);

        public T Eps { get; } = T.CreateChecked(epsilon);

        public T Lambda { get; } = T.CreateChecked(weightDecay);

        public T Mu { get; } = T.CreateChecked(momentum);

        public bool Decay { get; } = weightDecay != 0;

        public bool Momentum { get; } = momentum != 0;

        public bool Centered { get; } = centered;
    }
}
