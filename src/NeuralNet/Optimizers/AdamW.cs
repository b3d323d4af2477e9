using System.Globalization;
using System.Numerics;

namespace NeuralNet.Optimizers;

/// <summary>
/// Adam with decoupled weight decay (Loshchilov and Hutter, 2019), following the update documented for PyTorch's
/// <c>torch.optim.AdamW</c> (without <c>amsgrad</c>, <c>maximize</c>): at step <c>t</c> (from 1), for each parameter
/// <code>
/// θ ← θ − ηλθ                    (decay applied to the weights, not added to the gradient)
/// m ← β₁m + (1 − β₁)g
/// v ← β₂v + (1 − β₂)g²
/// m̂ = m / (1 − β₁ᵗ),  v̂ = v / (1 − β₂ᵗ)
/// θ ← θ − η·m̂ / (√v̂ + ε)
/// </code>
/// with <c>g = ∇L(θ)</c> and <c>m</c>, <c>v</c> starting at zero, kept per parameter.
/// </summary>
/// <remarks>
/// Unlike <see cref="Adam{T}"/>'s coupled L2 term, the decay here shrinks every weight by the same fraction
/// <c>ηλ</c> per step, whatever its gradient history. As in PyTorch the decay applies to every bound parameter,
/// biases included. The decay is scaled by the current learning rate, so a schedule scales it too.
/// </remarks>
/// <typeparam name="T">Element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class AdamW<T> : IOptimizer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private const string Name = "AdamW";
    private readonly OptimizerSlots<T> moments = new(Name, "firstMoment", "secondMoment");
    private double learningRate;

    /// <summary>Creates the optimizer with PyTorch's defaults.</summary>
    /// <param name="learningRate">Step size <c>η</c>; finite and ≥ 0. Default 0.001.</param>
    /// <param name="beta1">Decay <c>β₁</c> of the first moment, in [0, 1). Default 0.9.</param>
    /// <param name="beta2">Decay <c>β₂</c> of the second moment, in [0, 1). Default 0.999.</param>
    /// <param name="epsilon">Denominator term <c>ε</c>; finite and &gt; 0. Default 1e-8.</param>
    /// <param name="weightDecay">Decoupled decay <c>λ</c>; finite and ≥ 0. Default 0.01.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range (the message names it and its value).</exception>
    public AdamW(double learningRate = 0.001, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8, double weightDecay = 0.01)
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

    /// <summary>Decoupled weight decay <c>λ</c>.</summary>
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
            AdamUpdate.Apply(parameter.ValueSpan, parameter.GradientSpan, buffers[0], buffers[1], learningRate, Beta1, Beta2, Epsilon, 0, WeightDecay, moments.StepCount);
        }
    }

    /// <inheritdoc />
    public OptimizerState<T> GetState(IReadOnlyList<Parameter<T>> parameters) => moments.Capture(parameters);

    /// <inheritdoc />
    public void SetState(IReadOnlyList<Parameter<T>> parameters, OptimizerState<T> state) => moments.Restore(parameters, state);

    /// <inheritdoc />
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"AdamW(learning rate {LearningRate}, β₁ {Beta1}, β₂ {Beta2}, ε {Epsilon}, weight decay {WeightDecay})");
}
