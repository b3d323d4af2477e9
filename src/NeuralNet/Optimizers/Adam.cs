using System.Globalization;
using System.Numerics;

namespace NeuralNet.Optimizers;

/// <summary>
/// Adam (Kingma and Ba, 2015), following the update documented for PyTorch's <c>torch.optim.Adam</c>
/// (without <c>amsgrad</c>, <c>maximize</c>): at step <c>t</c> (from 1), for each parameter
/// <code>
/// g ← ∇L(θ) + λθ                 (coupled L2, the default, when weight decay λ ≠ 0)
/// θ ← θ − ηλθ                    (instead, with decoupledWeightDecay: the AdamW rule; g stays ∇L(θ))
/// m ← β₁m + (1 − β₁)g
/// v ← β₂v + (1 − β₂)g²
/// m̂ = m / (1 − β₁ᵗ),  v̂ = v / (1 − β₂ᵗ)
/// θ ← θ − η·m̂ / (√v̂ + ε)
/// </code>
/// with <c>m</c> and <c>v</c> starting at zero, kept per parameter.
/// </summary>
/// <remarks>
/// <para>
/// The bias corrections make the first steps full-sized: at <c>t = 1</c>, <c>m̂ = g</c> and <c>v̂ = g²</c>, so each
/// element moves by almost exactly <c>η</c> against the sign of its gradient.
/// </para>
/// <para>
/// <c>t</c> counts calls to <see cref="Step"/>. The optimizer binds one parameter list (see <see cref="IOptimizer{T}"/>).
/// For weight decay prefer the decoupled form (<see cref="AdamW{T}"/>, which is this class with
/// <c>decoupledWeightDecay: true</c>, as in PyTorch): the coupled L2 term is rescaled by <c>1/√v̂</c> and so is weakest
/// exactly on the parameters with large gradients.
/// </para>
/// </remarks>
/// <typeparam name="T">Element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public class Adam<T> : IOptimizer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly string name;
    private readonly OptimizerSlots<T> moments;
    private readonly double coupledWeightDecay;
    private readonly double decoupledWeightDecay;
    private double learningRate;

    /// <summary>Creates the optimizer with PyTorch's defaults.</summary>
    /// <param name="learningRate">Step size <c>η</c>; finite and ≥ 0. Default 0.001.</param>
    /// <param name="beta1">Decay <c>β₁</c> of the first moment, in [0, 1). Default 0.9.</param>
    /// <param name="beta2">Decay <c>β₂</c> of the second moment, in [0, 1). Default 0.999.</param>
    /// <param name="epsilon">Denominator term <c>ε</c>; finite and &gt; 0. Default 1e-8.</param>
    /// <param name="weightDecay">Weight decay <c>λ</c>; finite and ≥ 0. Default 0.</param>
    /// <param name="decoupledWeightDecay">
    /// Apply <paramref name="weightDecay"/> to the weights (<c>θ ← θ − ηλθ</c>, AdamW) instead of adding <c>λθ</c> to
    /// the gradient (coupled L2). Default <see langword="false"/>, as in PyTorch.
    /// </param>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range (the message names it and its value).</exception>
    public Adam(
        double learningRate = 0.001, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8, double weightDecay = 0, bool decoupledWeightDecay = false)
        : this("Adam", learningRate, beta1, beta2, epsilon, weightDecay, decoupledWeightDecay)
    {
    }

    /// <summary>Creates the optimizer under another name (used in messages and <see cref="ToString"/>), for <see cref="AdamW{T}"/>.</summary>
    private protected Adam(string name, double learningRate, double beta1, double beta2, double epsilon, double weightDecay, bool decoupledWeightDecay)
    {
        this.name = name;
        this.learningRate = HyperParameters.NonNegative<T>(name, nameof(learningRate), learningRate);
        Beta1 = HyperParameters.UnitInterval<T>(name, nameof(beta1), beta1);
        Beta2 = HyperParameters.UnitInterval<T>(name, nameof(beta2), beta2);
        Epsilon = HyperParameters.Positive<T>(name, nameof(epsilon), epsilon);
        WeightDecay = HyperParameters.NonNegative<T>(name, nameof(weightDecay), weightDecay);
        DecoupledWeightDecay = decoupledWeightDecay;
        coupledWeightDecay = decoupledWeightDecay ? 0 : weightDecay;
        this.decoupledWeightDecay = decoupledWeightDecay ? weightDecay : 0;
        moments = new OptimizerSlots<T>(name, "firstMoment", "secondMoment") { NonNegative = ["secondMoment"] };
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentOutOfRangeException">The value is negative, NaN or infinite.</exception>
    public double LearningRate
    {
        get => learningRate;
        set => learningRate = HyperParameters.NonNegative<T>(name, nameof(LearningRate), value);
    }

    /// <summary>Decay <c>β₁</c> of the first-moment (mean) estimate.</summary>
    public double Beta1 { get; }

    /// <summary>Decay <c>β₂</c> of the second-moment (uncentered variance) estimate.</summary>
    public double Beta2 { get; }

    /// <summary>Denominator term <c>ε</c>.</summary>
    public double Epsilon { get; }

    /// <summary>Weight decay <c>λ</c>: coupled L2 on the gradient, or decoupled if <see cref="DecoupledWeightDecay"/>.</summary>
    public double WeightDecay { get; }

    /// <summary>Whether <see cref="WeightDecay"/> shrinks the weights directly (AdamW) rather than adding <c>λθ</c> to the gradient.</summary>
    public bool DecoupledWeightDecay { get; }

    /// <inheritdoc />
    public void Bind(IReadOnlyList<Parameter<T>> parameters) => moments.Bind(parameters);

    /// <inheritdoc />
    public void Step(IReadOnlyList<Parameter<T>> parameters)
    {
        Parameter<T>[] bound = moments.BeginStep(parameters);
        for (int slot = 0; slot < bound.Length; slot++)
        {
            Parameter<T> parameter = bound[slot];
            T[][] buffers = moments.BuffersOf(slot);
            AdamUpdate.Apply(
                parameter.ValueSpan, parameter.GradientSpan, buffers[0], buffers[1],
                learningRate, Beta1, Beta2, Epsilon, coupledWeightDecay, decoupledWeightDecay, moments.StepCount);
        }
    }

    /// <inheritdoc />
    public OptimizerState<T> GetState(IReadOnlyList<Parameter<T>> parameters) => moments.Capture(parameters);

    /// <inheritdoc />
    public void SetState(IReadOnlyList<Parameter<T>> parameters, OptimizerState<T> state) => moments.Restore(parameters, state);

    /// <inheritdoc />
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"{name}(learning rate {LearningRate}, β₁ {Beta1}, β₂ {Beta2}, ε {Epsilon}, {(DecoupledWeightDecay ? "decoupled " : string.Empty)}weight decay {WeightDecay})");
}
