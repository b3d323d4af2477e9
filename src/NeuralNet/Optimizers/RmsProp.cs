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
/// <para>
/// The optimizer binds one parameter list (see <see cref="IOptimizer{T}"/>). Every slot keeps all three buffers
/// (<c>squareAverage</c>, <c>gradientAverage</c>, <c>momentum</c>) whatever the settings, so checkpoints have one shape.
/// </para>
/// </remarks>
/// <typeparam name="T">Element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class RmsProp<T> : IOptimizer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private const string Name = "RmsProp";
    private readonly OptimizerSlots<T> averages = new(Name, "squareAverage", "gradientAverage", "momentum") { NonNegative = ["squareAverage"] };
    private double learningRate;

    /// <summary>Creates the optimizer with PyTorch's defaults.</summary>
    /// <param name="learningRate">Step size <c>η</c>; finite and ≥ 0. Default 0.01.</param>
    /// <param name="alpha">Smoothing constant <c>α</c> of the squared-gradient average, in [0, 1). Default 0.99.</param>
    /// <param name="epsilon">Denominator term <c>ε</c>; finite and &gt; 0. Default 1e-8.</param>
    /// <param name="weightDecay">Coupled L2 penalty <c>λ</c> added to the gradient; finite and ≥ 0. Default 0.</param>
    /// <param name="momentum">Momentum <c>μ</c> in [0, 1). Default 0.</param>
    /// <param name="centered">Normalise by the estimated variance <c>v − ḡ²</c>. Default <see langword="false"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range (the message names it and its value).</exception>
    public RmsProp(double learningRate = 0.01, double alpha = 0.99, double epsilon = 1e-8, double weightDecay = 0, double momentum = 0, bool centered = false)
    {
        this.learningRate = HyperParameters.NonNegative<T>(Name, nameof(learningRate), learningRate);
        Alpha = HyperParameters.UnitInterval<T>(Name, nameof(alpha), alpha);
        Epsilon = HyperParameters.Positive<T>(Name, nameof(epsilon), epsilon);
        WeightDecay = HyperParameters.NonNegative<T>(Name, nameof(weightDecay), weightDecay);
        Momentum = HyperParameters.UnitInterval<T>(Name, nameof(momentum), momentum);
        Centered = centered;
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentOutOfRangeException">The value is negative, NaN or infinite.</exception>
    public double LearningRate
    {
        get => learningRate;
        set => learningRate = HyperParameters.NonNegative<T>(Name, nameof(LearningRate), value);
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
    public void Bind(IReadOnlyList<Parameter<T>> parameters) => averages.Bind(parameters);

    /// <inheritdoc />
    public void Step(IReadOnlyList<Parameter<T>> parameters)
    {
        Parameter<T>[] bound = averages.BeginStep(parameters);
        for (int slot = 0; slot < bound.Length; slot++)
        {
            Parameter<T> parameter = bound[slot];
            T[][] buffers = averages.BuffersOf(slot);
            RmsPropUpdate.Apply(
                parameter.ValueSpan, parameter.GradientSpan, buffers[0], buffers[1], buffers[2],
                learningRate, Alpha, Epsilon, WeightDecay, Momentum, Centered);
        }
    }

    /// <inheritdoc />
    public OptimizerState<T> GetState(IReadOnlyList<Parameter<T>> parameters) => averages.Capture(parameters);

    /// <inheritdoc />
    public void SetState(IReadOnlyList<Parameter<T>> parameters, OptimizerState<T> state) => averages.Restore(parameters, state);

    /// <inheritdoc />
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"RmsProp(learning rate {LearningRate}, α {Alpha}, ε {Epsilon}, weight decay {WeightDecay}, momentum {Momentum}{(Centered ? ", centered" : string.Empty)})");
}
