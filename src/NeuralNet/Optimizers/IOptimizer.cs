using System.Numerics;

namespace NeuralNet.Optimizers;

/// <summary>
/// Updates parameters from their gradients. Sees only (value, gradient) pairs, never layer types, and keeps any
/// per-parameter state (velocity, moments) keyed by the parameter.
/// </summary>
/// <typeparam name="T">Element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public interface IOptimizer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The learning rate <c>η</c> used by the next <see cref="Step"/>; schedules may change it between steps.</summary>
    double LearningRate { get; set; }

    /// <summary>Applies one update to every parameter from its current gradient.</summary>
    void Step(IReadOnlyList<Parameter<T>> parameters);
}
