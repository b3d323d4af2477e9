using System.Numerics;

namespace NeuralNet.Optimizers;

/// <summary>
/// An optimizer's state, addressed by slot: the bound parameter list (<see cref="ParameterBinding{T}"/>), the named
/// buffers of each slot (velocity, moments), created at zero on first use, and the step count; with the checkpoint
/// copy-out and the validated copy-in shared by every optimizer.
/// </summary>
/// <remarks>
/// A slot's buffers exist once <see cref="BuffersOf"/> has asked for them (an optimizer that needs none, such as
/// plain SGD, never does). <see cref="Capture"/> gives such a slot an empty dictionary, which is what
/// <see cref="OptimizerState{T}"/> and the checkpoint format expect for "no state yet".
/// </remarks>
/// <typeparam name="T">Element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
internal sealed class OptimizerSlots<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly string optimizer;
    private readonly string[] names;
    private readonly ParameterBinding<T> binding;
    private Parameter<T>[] parameters = [];
    private T[][]?[] buffers = [];

    /// <summary>Creates the state of an optimizer that is not bound yet.</summary>
    /// <param name="optimizer">Name used in error messages.</param>
    /// <param name="names">The buffers every slot gets, in the order <see cref="BuffersOf"/> returns them.</param>
    public OptimizerSlots(string optimizer, params string[] names)
    {
        this.optimizer = optimizer;
        this.names = names;
        binding = new ParameterBinding<T>(optimizer);
    }

    /// <summary>
    /// The buffers that hold non-negative values by construction (second moments, square averages): a restored state
    /// with a negative value there is refused, since the step would take its square root.
    /// </summary>
    public string[] NonNegative { get; init; } = [];

    /// <summary>
    /// Number of <see cref="BeginStep"/> calls, or the count restored by <see cref="Restore"/>; it stops at
    /// <see cref="long.MaxValue"/> rather than wrapping to a negative count (bias corrections are 1 long before).
    /// </summary>
    public long StepCount { get; private set; }

    /// <summary>Binds <paramref name="list"/>, or checks that it is the bound list.</summary>
    /// <exception cref="ArgumentException">The list is not the bound one (see <see cref="ParameterBinding{T}"/>).</exception>
    public void Bind(IReadOnlyList<Parameter<T>> list) => Attach(binding.Bind(list, nameof(IOptimizer<T>.Bind)));

    /// <summary>
    /// Checks (or binds) <paramref name="list"/>, counts the step and returns the bound parameters: the parameter in
    /// slot <c>s</c> is element <c>s</c>. Allocates only when binding.
    /// </summary>
    /// <exception cref="ArgumentException">The list is not the bound one; nothing changes.</exception>
    public Parameter<T>[] BeginStep(IReadOnlyList<Parameter<T>> list)
    {
        Parameter<T>[] bound = binding.Bind(list, nameof(IOptimizer<T>.Step));
        Attach(bound);
        if (StepCount < long.MaxValue)
        {
            StepCount++;
        }

        return bound;
    }

    /// <summary>The buffers of <paramref name="slot"/>, one per name, created at zero on first use.</summary>
    public T[][] BuffersOf(int slot) => buffers[slot] ?? CreateBuffers(slot);

    /// <summary>Copies the step count and every slot's buffers out, in slot order, after checking (or binding) <paramref name="list"/>.</summary>
    /// <exception cref="ArgumentException">The list is not the bound one.</exception>
    public OptimizerState<T> Capture(IReadOnlyList<Parameter<T>> list)
    {
        Attach(binding.Bind(list, nameof(IOptimizer<T>.GetState)));
        var state = new IReadOnlyDictionary<string, T[]>[parameters.Length];
        for (int slot = 0; slot < state.Length; slot++)
        {
            var copy = new Dictionary<string, T[]>(StringComparer.Ordinal);
            if (buffers[slot] is T[][] found)
            {
                for (int i = 0; i < names.Length; i++)
                {
                    copy.Add(names[i], (T[])found[i].Clone());
                }
            }

            state[slot] = copy;
        }

        return new OptimizerState<T>(StepCount, state);
    }

    /// <summary>
    /// Replaces the step count and every slot's buffers by copies of those in <paramref name="state"/>, entry
    /// <c>s</c> going to slot <c>s</c>, and binds <paramref name="list"/> if nothing is bound yet. Checks the list,
    /// the number of entries, every buffer name and length, and every value (finite; ≥ 0 in <see cref="NonNegative"/>
    /// buffers) first; on a mismatch nothing changes (not even the binding).
    /// </summary>
    /// <exception cref="ArgumentException">The list is not the bound one, or the state does not fit it (the message names the slot and buffer).</exception>
    public void Restore(IReadOnlyList<Parameter<T>> list, OptimizerState<T> state)
    {
        Parameter<T>[] target = binding.Check(list, nameof(IOptimizer<T>.SetState));
        ArgumentNullException.ThrowIfNull(state);
        if (state.Buffers.Count != target.Length)
        {
            throw new ArgumentException($"{optimizer}: the state has {state.Buffers.Count} parameters, the network {target.Length}.", nameof(state));
        }

        var restored = new T[][]?[target.Length];
        for (int slot = 0; slot < target.Length; slot++)
        {
            restored[slot] = CopyOfSaved(state.Buffers[slot], target[slot], slot);
        }

        binding.Commit(target);
        parameters = target;
        buffers = restored;
        StepCount = state.StepCount;
    }

    /// <summary>The validated copy of one slot's saved buffers, or <see langword="null"/> for a slot saved without state.</summary>
    private T[][]? CopyOfSaved(IReadOnlyDictionary<string, T[]>? saved, Parameter<T> parameter, int slot)
    {
        if (saved is null)
        {
            throw new ArgumentException($"{optimizer}: the state has no buffer dictionary for parameter {slot} ({parameter}).", "state");
        }

        if (saved.Count == 0)
        {
            return null;
        }

        foreach (string name in saved.Keys)
        {
            if (Array.IndexOf(names, name) < 0)
            {
                throw new ArgumentException(
                    $"{optimizer}: unknown state buffer '{name}' for parameter {slot}; expected {string.Join(", ", names)}.", "state");
            }
        }

        var copies = new T[names.Length][];
        for (int i = 0; i < names.Length; i++)
        {
            if (!saved.TryGetValue(names[i], out T[]? values))
            {
                throw new ArgumentException($"{optimizer}: the state of parameter {slot} ({parameter}) lacks the buffer '{names[i]}'.", "state");
            }

            if (values is null || values.Length != parameter.Length)
            {
                throw new ArgumentException(
                    $"{optimizer}: buffer '{names[i]}' of parameter {slot} ({parameter}) has {values?.Length ?? 0} values, expected {parameter.Length}.",
                    "state");
            }

            bool nonNegative = Array.IndexOf(NonNegative, names[i]) >= 0;
            for (int k = 0; k < values.Length; k++)
            {
                if (!T.IsFinite(values[k]) || (nonNegative && values[k] < T.Zero))
                {
                    throw new ArgumentException(
                        $"{optimizer}: buffer '{names[i]}' of parameter {slot} ({parameter}) holds {values[k]} at index {k}; it must be finite{(nonNegative ? " and ≥ 0" : string.Empty)}.",
                        "state");
                }
            }

            copies[i] = (T[])values.Clone();
        }

        return copies;
    }

    /// <summary>Sizes the slot table the first time a list is bound; later calls get the same array back and do nothing.</summary>
    private void Attach(Parameter<T>[] bound)
    {
        if (!ReferenceEquals(bound, parameters))
        {
            parameters = bound;
            buffers = new T[][]?[bound.Length];
        }
    }

    private T[][] CreateBuffers(int slot)
    {
        var created = new T[names.Length][];
        for (int i = 0; i < created.Length; i++)
        {
            created[i] = new T[parameters[slot].Length];
        }

        buffers[slot] = created;
        return created;
    }
}
