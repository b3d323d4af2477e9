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
/// <para>
/// As in PyTorch, this is <see cref="Adam{T}"/> with <c>decoupledWeightDecay: true</c> and a default
/// <c>λ</c> of 0.01; it adds nothing else, so with <c>λ = 0</c> it steps bit for bit like <see cref="Adam{T}"/>.
/// </para>
/// <para>
/// Unlike Adam's coupled L2 term, the decay here shrinks every weight by the same fraction <c>ηλ</c> per step,
/// whatever its gradient history. As in PyTorch the decay applies to every bound parameter, biases included. The decay
/// is scaled by the current learning rate, so a schedule scales it too.
/// </para>
/// </remarks>
/// <typeparam name="T">Element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class AdamW<T> : Adam<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates the optimizer with PyTorch's defaults.</summary>
    /// <param name="learningRate">Step size <c>η</c>; finite and ≥ 0. Default 0.001.</param>
    /// <param name="beta1">Decay <c>β₁</c> of the first moment, in [0, 1). Default 0.9.</param>
    /// <param name="beta2">Decay <c>β₂</c> of the second moment, in [0, 1). Default 0.999.</param>
    /// <param name="epsilon">Denominator term <c>ε</c>; finite and &gt; 0. Default 1e-8.</param>
    /// <param name="weightDecay">Decoupled decay <c>λ</c>; finite and ≥ 0. Default 0.01.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range (the message names it and its value).</exception>
    public AdamW(double learningRate = 0.001, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8, double weightDecay = 0.01)
        : base("AdamW", learningRate, beta1, beta2, epsilon, weightDecay, decoupledWeightDecay: true)
    {
    }
}
