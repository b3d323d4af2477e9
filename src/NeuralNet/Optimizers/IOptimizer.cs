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

    /// <summary>Copies the optimizer's state for <paramref name="parameters"/> (for a checkpoint).</summary>
    /// <param name="parameters">The parameters the optimizer steps, in the order they are passed to <see cref="Step"/>.</param>
    OptimizerState<T> GetState(IReadOnlyList<Parameter<T>> parameters);

    /// <summary>Restores a state captured by <see cref="GetState"/> (values are copied in).</summary>
    /// <param name="parameters">The same parameters, in the same order, as when the state was captured.</param>
    /// <param name="state">The state to restore.</param>
    /// <exception cref="ArgumentException">The state does not match the parameters (count, buffer names or lengths).</exception>
    void SetState(IReadOnlyList<Parameter<T>> parameters, OptimizerState<T> state);
}
