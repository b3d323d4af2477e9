using System.Globalization;
using System.Numerics;

namespace NeuralNet.Optimizers;

/// <summary>
/// Adam (Kingma and Ba, 2015), following the update documented for PyTorch's <c>torch.optim.Adam</c>
/// (without <c>amsgrad</c>, <c>maximize</c>): at step <c>t</c> (from 1), for each parameter
/// <code>
/// g ← ∇L(θ) + λθ                 (only if weight decay λ ≠ 0: coupled L2, as in torch.optim.Adam)
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
/// For weight decay with Adam prefer <see cref="AdamW{T}"/>: the coupled L2 term here is rescaled by <c>1/√v̂</c>
/// and so is weakest exactly on the parameters with large gradients.
/// </para>
/// </remarks>
/// <typeparam name="T">Element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class Adam<T> : IOptimizer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private const string Name = "Adam";
    private readonly OptimizerSlots<T> moments = new(Name, "firstMoment", "secondMoment");
    private double learningRate;

    /// <summary>Creates the optimizer with PyTorch's defaults.</summary>
    /// <param name="learningRate">Step size <c>η</c>; finite and ≥ 0. Default 0.001.</param>
    /// <param name="beta1">Decay <c>β₁</c> of the first moment, in [0, 1). Default 0.9.</param>
    /// <param name="beta2">Decay <c>β₂</c> of the second moment, in [0, 1). Default 0.999.</param>
    /// <param name="epsilon">Denominator term <c>ε</c>; finite and &gt; 0. Default 1e-8.</param>
    /// <param name="weightDecay">Coupled L2 penalty <c>λ</c> added to the gradient; finite and ≥ 0. Default 0.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range (the message names it and its value).</exception>
    public Adam(double learningRate = 0.001, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8, double weightDecay = 0)
    {
        LearningRate = learningRate;
        Beta1 = HyperParameters.UnitInterval(Name, nameof(beta1), beta1);
        Beta2 = HyperParameters.UnitInterval(Name, nameof(beta2), beta2);
        Epsilon = HyperParameters.Positive(Name, nameof(epsilon), epsilon);
        WeightDecay = HyperParameters.NonNegative(Name, nameof(weightDecay), weightDecay);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentOutOfRangeException">The value is negative, NaN or infinite.</exception>
    public double LearningRate
    {
        get => learningRate;
        set => learningRate = HyperParameters.NonNegative(Name, "learning rate", value);
    }

    /// <summary>Decay <c>β₁</c> of the first-moment (mean) estimate.</summary>
    public double Beta1 { get; }

    /// <summary>Decay <c>β₂</c> of the second-moment (uncentered variance) estimate.</summary>
    public double Beta2 { get; }

    /// <summary>Denominator term <c>ε</c>.</summary>
    public double Epsilon { get; }

    /// <summary>Coupled L2 penalty <c>λ</c>.</summary>
    public double WeightDecay { get; }

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
            AdamUpdate.Apply(parameter.ValueSpan, parameter.GradientSpan, buffers[0], buffers[1], learningRate, Beta1, Beta2, Epsilon, WeightDecay, 0, moments.StepCount);
        }
    }

    /// <inheritdoc />
    public OptimizerState<T> GetState(IReadOnlyList<Parameter<T>> parameters) => moments.Capture(parameters);

    /// <inheritdoc />
    public void SetState(IReadOnlyList<Parameter<T>> parameters, OptimizerState<T> state) => moments.Restore(parameters, state);

    /// <inheritdoc />
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"Adam(learning rate {LearningRate}, β₁ {Beta1}, β₂ {Beta2}, ε {Epsilon}, weight decay {WeightDecay})");
}
