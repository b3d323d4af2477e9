using System.Numerics;

namespace NeuralNet.Optimizers;

/// <summary>
/// Per-parameter optimizer buffers (moments, velocities) keyed by the parameter object, created lazily at zero,
/// with the checkpoint copy-out and validated copy-in shared by every optimizer.
/// </summary>
/// <typeparam name="T">Element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
internal sealed class ParameterBuffers<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Dictionary<Parameter<T>, T[][]> buffers = new(ReferenceEqualityComparer.Instance);
    private readonly string optimizer;
    private readonly string[] names;

    /// <summary>Creates the store.</summary>
    /// <param name="optimizer">Name used in error messages.</param>
    /// <param name="names">The buffer names every parameter gets, in index order.</param>
    public ParameterBuffers(string optimizer, params string[] names)
    {
        this.optimizer = optimizer;
        this.names = names;
    }

    /// <summary>The buffers of <paramref name="parameter"/>, one per name, created at zero on first use.</summary>
    public T[][] For(Parameter<T> parameter)
    {
        if (!buffers.TryGetValue(parameter, out T[][]? found))
        {
            found = new T[names.Length][];
            for (int i = 0; i < found.Length; i++)
            {
                found[i] = new T[parameter.Length];
            }

            buffers.Add(parameter, found);
        }

        return found;
    }

    /// <summary>Copies the buffers of <paramref name="parameters"/> out, in order; a parameter never stepped has none.</summary>
    public OptimizerState<T> Capture(IReadOnlyList<Parameter<T>> parameters, long stepCount)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var state = new IReadOnlyDictionary<string, T[]>[parameters.Count];
        for (int p = 0; p < parameters.Count; p++)
        {
            var copy = new Dictionary<string, T[]>();
            if (buffers.TryGetValue(parameters[p], out T[][]? found))
            {
                for (int i = 0; i < names.Length; i++)
                {
                    copy.Add(names[i], (T[])found[i].Clone());
                }
            }

            state[p] = copy;
        }

        return new OptimizerState<T>(stepCount, state);
    }

    /// <summary>
    /// Replaces all buffers by copies of those in <paramref name="state"/> after checking every name and length;
    /// on a mismatch nothing changes.
    /// </summary>
    public void Restore(IReadOnlyList<Parameter<T>> parameters, OptimizerState<T> state)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(state);
        if (state.Buffers.Count != parameters.Count)
        {
            throw new ArgumentException($"{optimizer}: the state has {state.Buffers.Count} parameters, the network {parameters.Count}.", nameof(state));
        }

        var restored = new Dictionary<Parameter<T>, T[][]>(ReferenceEqualityComparer.Instance);
        for (int p = 0; p < parameters.Count; p++)
        {
            IReadOnlyDictionary<string, T[]> saved = state.Buffers[p];
            if (saved.Count == 0)
            {
                continue;
            }

            foreach (string name in saved.Keys)
            {
                if (Array.IndexOf(names, name) < 0)
                {
                    throw new ArgumentException(
                        $"{optimizer}: unknown state buffer '{name}' for parameter {p}; expected {string.Join(", ", names)}.", nameof(state));
                }
            }

            var copies = new T[names.Length][];
            for (int i = 0; i < names.Length; i++)
            {
                if (!saved.TryGetValue(names[i], out T[]? values))
                {
                    throw new ArgumentException($"{optimizer}: the state of parameter {p} ({parameters[p]}) lacks the buffer '{names[i]}'.", nameof(state));
                }

                if (values.Length != parameters[p].Length)
                {
                    throw new ArgumentException(
                        $"{optimizer}: buffer '{names[i]}' of parameter {p} ({parameters[p]}) has {values.Length} values, expected {parameters[p].Length}.",
                        nameof(state));
                }

                copies[i] = (T[])values.Clone();
            }

            restored.Add(parameters[p], copies);
        }

        buffers.Clear();
        foreach (KeyValuePair<Parameter<T>, T[][]> entry in restored)
        {
            buffers.Add(entry.Key, entry.Value);
        }
    }
}
