using System.Globalization;
using System.Numerics;

namespace NeuralNet.Optimizers;

/// <summary>
/// RMSProp (Hinton, 2012), following the update documented for PyTorch's <c>torch.optim.RMSprop</c>
/// (without <c>maximize</c>): for each parameter
/// <code>
/// g ← ∇L(θ) + λθ                 (only if weight decay λ ≠ 0)
/// v ← αv + (1 − α)g²
/// ṽ = v − ḡ²  with  ḡ ← αḡ + (1 − α)g     (centered)   or   ṽ = v   (not centered)
/// b ← μb + g / (√ṽ + ε);  θ ← θ − η·b        (momentum μ &gt; 0)
/// θ ← θ − η·g / (√ṽ + ε)                    (μ = 0)
/// </code>
/// with <c>v</c>, <c>ḡ</c>, <c>b</c> starting at zero, kept per parameter.
/// </summary>
/// <remarks>
/// <para>
/// <b>Momentum, compared with the source text.</b> PyTorch's buffer <c>b</c> accumulates unscaled steps and the
/// current <c>η</c> multiplies the whole of it. The source text's rule <c>Δθ ← αΔθ − η·step</c> (see
/// <see cref="Sgd{T}"/>) folds each step's <c>η</c> in when it is added. With a constant learning rate both give
/// <c>Δθ = −η·b</c> and identical trajectories; under a schedule they differ, because here a new <c>η</c> rescales
/// the momentum accumulated under the old ones. This class follows PyTorch.
/// </para>
/// <para>
/// Centering divides by an estimate of the gradient's variance instead of its raw second moment.
/// </para>
/// </remarks>
/// <typeparam name="T">Element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class RMSProp<T> : IOptimizer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private const string Name = "RMSProp";
    private readonly ParameterBuffers<T> buffers;
    private double learningRate;
    private long stepCount;

    /// <summary>Creates the optimizer with PyTorch's defaults.</summary>
    /// <param name="learningRate">Step size <c>η</c>; finite and ≥ 0. Default 0.01.</param>
    /// <param name="alpha">Smoothing constant <c>α</c> of the squared-gradient average, in [0, 1). Default 0.99.</param>
    /// <param name="epsilon">Denominator term <c>ε</c>; finite and &gt; 0. Default 1e-8.</param>
    /// <param name="weightDecay">Coupled L2 penalty <c>λ</c> added to the gradient; finite and ≥ 0. Default 0.</param>
    /// <param name="momentum">Momentum <c>μ</c> in [0, 1). Default 0.</param>
    /// <param name="centered">Normalise by the estimated variance <c>v − ḡ²</c>. Default <see langword="false"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range (the message names it and its value).</exception>
    public RMSProp(double learningRate = 0.01, double alpha = 0.99, double epsilon = 1e-8, double weightDecay = 0, double momentum = 0, bool centered = false)
    {
        LearningRate = learningRate;
        Alpha = HyperParameters.UnitInterval(Name, nameof(alpha), alpha);
        Epsilon = HyperParameters.Positive(Name, nameof(epsilon), epsilon);
        WeightDecay = HyperParameters.NonNegative(Name, nameof(weightDecay), weightDecay);
        Momentum = HyperParameters.UnitInterval(Name, nameof(momentum), momentum);
        Centered = centered;
        buffers = new ParameterBuffers<T>(Name, "squareAverage", "gradientAverage", "momentum");
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentOutOfRangeException">The value is negative, NaN or infinite.</exception>
    public double LearningRate
    {
        get => learningRate;
        set => learningRate = HyperParameters.NonNegative(Name, "learning rate", value);
    }

    /// <summary>Smoothing constant <c>α</c>.</summary>
    public double Alpha { get; }

    /// <summary>Denominator term <c>ε</c>.</summary>
    public double Epsilon { get; }

    /// <summary>Coupled L2 penalty <c>λ</c>.</summary>
    public double WeightDecay { get; }

    /// <summary>Momentum <c>μ</c>; 0 for none.</summary>
    public double Momentum { get; }

    /// <summary>Whether the denominator uses the centered (variance) estimate.</summary>
    public bool Centered { get; }

    /// <inheritdoc />
    public void Step(IReadOnlyList<Parameter<T>> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        stepCount++;
        T eta = T.CreateChecked(learningRate);
        T a = T.CreateChecked(Alpha);
        T oneMinusA = T.CreateChecked(1 - Alpha);
        T eps = T.CreateChecked(Epsilon);
        T lambda = T.CreateChecked(WeightDecay);
        T mu = T.CreateChecked(Momentum);
        bool decay = WeightDecay != 0;
        bool momentum = Momentum != 0;
        for (int p = 0; p < parameters.Count; p++)
        {
            Parameter<T> parameter = parameters[p];
            Span<T> theta = parameter.ValueSpan;
            ReadOnlySpan<T> gradient = parameter.GradientSpan;
            T[][] state = buffers.For(parameter);
            T[] square = state[0];
            T[] mean = state[1];
            T[] velocity = state[2];
            int i = 0;
            if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
            {
                i = StepVectors(theta, gradient, square, mean, velocity, eta, a, oneMinusA, eps, lambda, mu, decay, momentum);
            }

            for (; i < theta.Length; i++)
            {
                T g = decay ? gradient[i] + (lambda * theta[i]) : gradient[i];
                T v = (a * square[i]) + (oneMinusA * g * g);
                square[i] = v;
                if (Centered)
                {
                    T gBar = (a * mean[i]) + (oneMinusA * g);
                    mean[i] = gBar;
                    v -= gBar * gBar;
                }

                T step = g / (T.Sqrt(v) + eps);
                if (momentum)
                {
                    step += mu * velocity[i];
                    velocity[i] = step;
                }

                theta[i] -= eta * step;
            }
        }
    }

    /// <inheritdoc />
    public OptimizerState<T> GetState(IReadOnlyList<Parameter<T>> parameters) => buffers.Capture(parameters, stepCount);

    /// <inheritdoc />
    public void SetState(IReadOnlyList<Parameter<T>> parameters, OptimizerState<T> state)
    {
        buffers.Restore(parameters, state);
        stepCount = state.StepCount;
    }

    /// <summary>
    /// The update over whole SIMD vectors, with the same operations in the same order as the scalar loop (no fused
    /// multiply-add), so results do not depend on the vector width. Returns the index where the scalar tail starts.
    /// </summary>
    private int StepVectors(
        Span<T> theta, ReadOnlySpan<T> gradient, Span<T> square, Span<T> mean, Span<T> velocity,
        T eta, T a, T oneMinusA, T eps, T lambda, T mu, bool decay, bool momentum)
    {
        var etaV = new Vector<T>(eta);
        var aV = new Vector<T>(a);
        var oneMinusAV = new Vector<T>(oneMinusA);
        var epsV = new Vector<T>(eps);
        var lambdaV = new Vector<T>(lambda);
        var muV = new Vector<T>(mu);
        int i = 0;
        for (; i <= theta.Length - Vector<T>.Count; i += Vector<T>.Count)
        {
            var t = new Vector<T>(theta[i..]);
            var g = new Vector<T>(gradient[i..]);
            if (decay)
            {
                g += lambdaV * t;
            }

            Vector<T> v = (aV * new Vector<T>(square[i..])) + (oneMinusAV * g * g);
            v.CopyTo(square[i..]);
            if (Centered)
            {
                Vector<T> gBar = (aV * new Vector<T>(mean[i..])) + (oneMinusAV * g);
                gBar.CopyTo(mean[i..]);
                v -= gBar * gBar;
            }

            Vector<T> step = g / (Vector.SquareRoot(v) + epsV);
            if (momentum)
            {
                step += muV * new Vector<T>(velocity[i..]);
                step.CopyTo(velocity[i..]);
            }

            (t - (etaV * step)).CopyTo(theta[i..]);
        }

        return i;
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"RMSProp(learning rate {LearningRate}, α {Alpha}, ε {Epsilon}, weight decay {WeightDecay}, momentum {Momentum}{(Centered ? ", centered" : string.Empty)})");
}
