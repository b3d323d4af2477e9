using System.Numerics;

namespace NeuralNet.Optimizers;

/// <summary>
/// Updates parameters from their gradients. Sees only (value, gradient) pairs, never layer types.
/// </summary>
/// <remarks>
/// <para>
/// <b>Binding.</b> As in torch.optim, an optimizer serves one parameter list for its whole life. The list is bound
/// explicitly by <see cref="Bind"/> or implicitly by the first <see cref="Step"/>, <see cref="GetState"/> or
/// <see cref="SetState"/>; from then on a parameter's <em>slot</em> is its index in that list, and its per-parameter
/// state (velocity, moments) lives in that slot. <see cref="Step"/>, <see cref="GetState"/> and <see cref="SetState"/>
/// all find state by slot, so a checkpoint's entry <c>s</c> restores slot <c>s</c>.
/// </para>
/// <para>
/// Every call must pass the bound list: the same <see cref="Parameter{T}"/> objects in the same order (a new list
/// object holding them is fine). Any other list (shorter, longer, reordered, or holding other parameters) throws an
/// <see cref="ArgumentException"/> that names the first slot that differs, and changes nothing: one parameter's state
/// is never applied to another. There is no re-binding; to optimise other parameters, create a new optimizer.
/// </para>
/// </remarks>
/// <typeparam name="T">Element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public interface IOptimizer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The learning rate <c>η</c> used by the next <see cref="Step"/>; schedules may change it between steps.</summary>
    double LearningRate { get; set; }

    /// <summary>
    /// Binds the parameters this optimizer will step; parameter <c>i</c> of the list gets slot <c>i</c>. Binding the
    /// bound list again does nothing.
    /// </summary>
    /// <param name="parameters">The parameters to optimise, e.g. <c>network.Parameters</c>; each at most once, none null.</param>
    /// <exception cref="ArgumentException">The optimizer is already bound to a different list, or the list holds a null or repeated parameter.</exception>
    void Bind(IReadOnlyList<Parameter<T>> parameters);

    /// <summary>Applies one update to every parameter from its current gradient. Allocates nothing once bound and stepped.</summary>
    /// <param name="parameters">The bound list (bound here if none is yet).</param>
    /// <exception cref="ArgumentException">The optimizer is bound to a different list; nothing changes.</exception>
    void Step(IReadOnlyList<Parameter<T>> parameters);

    /// <summary>Copies the optimizer's state (for a checkpoint): the step count and each slot's buffers, in slot order.</summary>
    /// <param name="parameters">The bound list (bound here if none is yet).</param>
    /// <exception cref="ArgumentException">The optimizer is bound to a different list.</exception>
    OptimizerState<T> GetState(IReadOnlyList<Parameter<T>> parameters);

    /// <summary>
    /// Restores a state captured by <see cref="GetState"/>, possibly from another optimizer over other (equally shaped)
    /// parameters: entry <c>s</c> of the state goes to slot <c>s</c>. Values are copied in.
    /// </summary>
    /// <param name="parameters">The bound list (bound here, if none is yet and the state fits it).</param>
    /// <param name="state">The state to restore.</param>
    /// <exception cref="ArgumentException">
    /// The optimizer is bound to a different list, or the state does not fit the parameters (count, buffer names or
    /// lengths), or holds a value no step produces (NaN, ±∞, a negative second moment or square average); nothing changes.
    /// </exception>
    void SetState(IReadOnlyList<Parameter<T>> parameters, OptimizerState<T> state);
}
