using System.Globalization;
using System.Numerics;

namespace NeuralNet.Optimizers;

/// <summary>
/// Stochastic gradient descent with momentum, in the source text's form:
/// <c>Δθ ← α·Δθ − η·g</c>, <c>θ ← θ + Δθ</c>, with one velocity <c>Δθ</c> per parameter (starting at zero)
/// and <c>g = ∇L(θ) + λ·θ</c> when weight decay <c>λ</c> is set. <c>α = 0</c> is plain SGD: <c>θ ← θ − η·g</c>.
/// </summary>
/// <remarks>
/// <para>
/// <b>Nesterov.</b> With <c>nesterov: true</c> the step looks ahead along the new velocity:
/// <c>Δθ ← α·Δθ − η·g</c>, <c>θ ← θ + α·Δθ − η·g</c>.
/// </para>
/// <para>
/// <b>Relation to PyTorch.</b> PyTorch's <c>torch.optim.SGD</c> keeps <c>v ← μ·v + g</c> and steps <c>θ ← θ − η·v</c>.
/// With a constant learning rate the two are the same (<c>Δθ = −η·v</c>); when the learning rate changes between
/// steps they differ: here the old velocity keeps the learning rates it was accumulated with, in PyTorch the new
/// rate rescales the whole velocity.
/// </para>
/// <para>
/// The optimizer binds one parameter list (see <see cref="IOptimizer{T}"/>); the velocity of a parameter lives in its
/// slot. Without momentum it keeps no per-parameter state, but the binding rule applies all the same.
/// </para>
/// </remarks>
/// <typeparam name="T">Element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class Sgd<T> : IOptimizer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private const string Name = "Sgd";
    private readonly OptimizerSlots<T> velocities = new(Name, "velocity");
    private double learningRate;

    /// <summary>Creates the optimizer.</summary>
    /// <param name="learningRate">Step size <c>η</c>; finite and ≥ 0.</param>
    /// <param name="momentum">Momentum <c>α</c> in [0, 1); 0 is plain SGD.</param>
    /// <param name="nesterov">Use Nesterov momentum (needs <paramref name="momentum"/> &gt; 0).</param>
    /// <param name="weightDecay">L2 penalty <c>λ</c> added to the gradient as <c>λ·θ</c> (coupled, as PyTorch's SGD); finite and ≥ 0. The sum is written back into each <see cref="Parameter{T}.Gradient"/>, so after a step the stored gradient is the one the update used.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range (the message names it and its value).</exception>
    /// <exception cref="ArgumentException"><paramref name="nesterov"/> is set without momentum.</exception>
    public Sgd(double learningRate, double momentum = 0, bool nesterov = false, double weightDecay = 0)
    {
        this.learningRate = HyperParameters.NonNegative<T>(Name, nameof(learningRate), learningRate);
        Momentum = HyperParameters.UnitInterval<T>(Name, nameof(momentum), momentum);
        WeightDecay = HyperParameters.NonNegative<T>(Name, nameof(weightDecay), weightDecay);
        if (nesterov && momentum == 0)
        {
            throw new ArgumentException("Sgd: Nesterov momentum needs a momentum greater than 0.", nameof(nesterov));
        }

        Nesterov = nesterov;
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentOutOfRangeException">The value is negative, NaN or infinite.</exception>
    public double LearningRate
    {
        get => learningRate;
        set => learningRate = HyperParameters.NonNegative<T>(Name, nameof(LearningRate), value);
    }

    /// <summary>Momentum <c>α</c>.</summary>
    public double Momentum { get; }

    /// <summary>Whether Nesterov momentum is used.</summary>
    public bool Nesterov { get; }

    /// <summary>L2 weight decay <c>λ</c>.</summary>
    public double WeightDecay { get; }

    /// <inheritdoc />
    public void Bind(IReadOnlyList<Parameter<T>> parameters) => velocities.Bind(parameters);

    /// <inheritdoc />
    public void Step(IReadOnlyList<Parameter<T>> parameters)
    {
        Parameter<T>[] bound = velocities.BeginStep(parameters);
        bool momentum = Momentum != 0;
        for (int slot = 0; slot < bound.Length; slot++)
        {
            Parameter<T> parameter = bound[slot];
            Span<T> velocity = momentum ? velocities.BuffersOf(slot)[0] : default;
            SgdUpdate.Apply(parameter.ValueSpan, parameter.GradientSpan, velocity, learningRate, Momentum, Nesterov, WeightDecay);
        }
    }

    /// <inheritdoc />
    public OptimizerState<T> GetState(IReadOnlyList<Parameter<T>> parameters) => velocities.Capture(parameters);

    /// <inheritdoc />
    public void SetState(IReadOnlyList<Parameter<T>> parameters, OptimizerState<T> state) => velocities.Restore(parameters, state);

    /// <inheritdoc />
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"Sgd(learning rate {LearningRate}, momentum {Momentum}{(Nesterov ? ", Nesterov" : string.Empty)}, weight decay {WeightDecay})");
}
