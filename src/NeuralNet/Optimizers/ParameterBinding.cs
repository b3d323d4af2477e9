using System.Numerics;

namespace NeuralNet.Optimizers;

/// <summary>
/// The one parameter list an optimizer serves, as in torch.optim: fixed by the first <c>Bind</c>, <c>Step</c>,
/// <c>GetState</c> or <c>SetState</c>, after which a parameter's slot is its index in that list.
/// </summary>
/// <remarks>
/// Every later call must pass the same <see cref="Parameter{T}"/> objects in the same order (the list object itself
/// may be a new one). The check is one reference comparison per slot and allocates nothing. A list that is shorter,
/// longer, reordered or holds other parameters throws, so one parameter's state is never applied to another;
/// there is no re-binding.
/// </remarks>
/// <typeparam name="T">Element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
internal sealed class ParameterBinding<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly string optimizer;
    private Parameter<T>[]? bound;

    /// <summary>Creates an unbound binding.</summary>
    /// <param name="optimizer">Name used in error messages.</param>
    public ParameterBinding(string optimizer) => this.optimizer = optimizer;

    /// <summary>Whether a parameter list has been bound.</summary>
    public bool IsBound => bound is not null;

    /// <summary>
    /// Returns the bound parameters after checking that <paramref name="parameters"/> is the bound list; binds it
    /// first if nothing is bound yet.
    /// </summary>
    /// <param name="parameters">The list passed by the caller.</param>
    /// <param name="operation">The public method called, for the error message.</param>
    /// <exception cref="ArgumentException">The list is not the bound one, or (when binding) it holds a null or repeated parameter.</exception>
    public Parameter<T>[] Bind(IReadOnlyList<Parameter<T>> parameters, string operation)
    {
        Parameter<T>[] checkedList = Check(parameters, operation);
        bound ??= checkedList;
        return checkedList;
    }

    /// <summary>
    /// Like <see cref="Bind"/> but binds nothing: returns the bound parameters, or, if none are bound yet, a checked
    /// copy of <paramref name="parameters"/> to bind later with <see cref="Commit"/> (so a caller can validate more
    /// before anything changes).
    /// </summary>
    /// <exception cref="ArgumentException">As for <see cref="Bind"/>.</exception>
    public Parameter<T>[] Check(IReadOnlyList<Parameter<T>> parameters, string operation)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (bound is null)
        {
            return CopyOfNewList(parameters, operation);
        }

        if (parameters is Parameter<T>[] array)
        {
            // Network.Parameters is an array: the same check without interface calls, on the training step's path.
            if (array.Length != bound.Length)
            {
                throw CountMismatch(array.Length, operation);
            }

            for (int slot = 0; slot < bound.Length; slot++)
            {
                if (!ReferenceEquals(array[slot], bound[slot]))
                {
                    throw SlotMismatch(array[slot], slot, operation);
                }
            }

            return bound;
        }

        if (parameters.Count != bound.Length)
        {
            throw CountMismatch(parameters.Count, operation);
        }

        for (int slot = 0; slot < bound.Length; slot++)
        {
            if (!ReferenceEquals(parameters[slot], bound[slot]))
            {
                throw SlotMismatch(parameters[slot], slot, operation);
            }
        }

        return bound;
    }

    /// <summary>Binds a list returned by <see cref="Check"/> if nothing is bound yet.</summary>
    public void Commit(Parameter<T>[] parameters) => bound ??= parameters;

    private Parameter<T>[] CopyOfNewList(IReadOnlyList<Parameter<T>> parameters, string operation)
    {
        var copy = new Parameter<T>[parameters.Count];
        var slots = new Dictionary<Parameter<T>, int>(copy.Length, ReferenceEqualityComparer.Instance);
        for (int slot = 0; slot < copy.Length; slot++)
        {
            Parameter<T> parameter = parameters[slot]
                ?? throw new ArgumentException($"{optimizer}.{operation}: the parameter at index {slot} is null.", nameof(parameters));
            if (!slots.TryAdd(parameter, slot))
            {
                throw new ArgumentException(
                    $"{optimizer}.{operation}: the parameter {parameter} appears twice in the list (at index {slots[parameter]} and {slot}); each parameter must appear once.",
                    nameof(parameters));
            }

            copy[slot] = parameter;
        }

        return copy;
    }

    private ArgumentException CountMismatch(int count, string operation) => new(
        $"{optimizer}.{operation}: this optimizer is bound to {Describe(bound!.Length)} but was given a list of {count}. {Rule}",
        "parameters");

    private ArgumentException SlotMismatch(Parameter<T>? given, int slot, string operation)
    {
        int elsewhere = given is null ? -1 : Array.IndexOf(bound!, given);
        string what = given is null
            ? "null"
            : elsewhere >= 0
                ? $"{given}, which is bound to slot {elsewhere}: the list is in a different order"
                : $"{given}, a parameter this optimizer is not bound to";
        return new ArgumentException(
            $"{optimizer}.{operation}: slot {slot} of this optimizer is bound to {bound![slot]} but the list has {what}. {Rule}",
            "parameters");
    }

    private static string Describe(int count) => count == 1 ? "1 parameter" : $"{count} parameters";

    private static string Rule =>
        "An optimizer keeps its state by position in the list it was first given (by Bind, Step, GetState or SetState) and "
        + "serves only that list: pass the same parameters in the same order (e.g. network.Parameters), or create a new optimizer for other parameters.";
}
