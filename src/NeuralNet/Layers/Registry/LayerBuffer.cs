using System.Numerics;

namespace NeuralNet.Layers;

/// <summary>
/// A named piece of a layer's state that is not a trainable parameter, such as a running mean or a random generator's
/// state (PyTorch's "buffers"). Model files, checkpoints and best-weight snapshots walk these by name, so a layer with
/// state needs nothing but this list to be saved and resumed.
/// </summary>
/// <remarks>
/// A buffer is a view on the layer's own storage: writing into <see cref="Values"/> or <see cref="Words"/> changes the
/// layer. A buffer holds either element values (<see cref="IsStatistics"/>: part of what <c>Predict</c> computes, so
/// restored with the best weights) or 64-bit generator words (training-only state, restored on resume).
/// </remarks>
/// <typeparam name="T">Element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class LayerBuffer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private LayerBuffer(string name, Memory<T> values, Memory<ulong> words, bool isStatistics, LayerBufferRule rule)
    {
        StoredNames.Check(name, nameof(name));
        Name = name;
        Values = values;
        Words = words;
        IsStatistics = isStatistics;
        Rule = rule;
    }

    /// <summary>The buffer's name within its layer, e.g. <c>"running_mean"</c>.</summary>
    public string Name { get; }

    /// <summary>Whether the buffer holds element values that predictions depend on (otherwise it holds <see cref="Words"/>).</summary>
    public bool IsStatistics { get; }

    /// <summary>The element values (empty for a generator state).</summary>
    public Memory<T> Values { get; }

    /// <summary>The generator words (empty for statistics).</summary>
    public Memory<ulong> Words { get; }

    /// <summary>The number of values or words.</summary>
    public int Length => IsStatistics ? Values.Length : Words.Length;

    /// <summary>What the buffer may hold.</summary>
    public LayerBufferRule Rule { get; }

    /// <summary>A buffer of element values that predictions depend on, e.g. a batch norm's running statistics.</summary>
    /// <param name="name">The name within the layer.</param>
    /// <param name="values">The layer's storage (not copied).</param>
    /// <param name="rule">What the values may be.</param>
    public static LayerBuffer<T> Statistics(string name, Memory<T> values, LayerBufferRule rule = LayerBufferRule.Finite) =>
        rule == LayerBufferRule.NotAllZero
            ? throw new ArgumentException("NotAllZero applies to generator words.", nameof(rule))
            : new(name, values, Memory<ulong>.Empty, isStatistics: true, rule);

    /// <summary>A random generator's state: carried by model files and checkpoints, never by best-weight snapshots.</summary>
    /// <param name="name">The name within the layer.</param>
    /// <param name="words">The generator's state words (not copied).</param>
    public static LayerBuffer<T> GeneratorState(string name, Memory<ulong> words) =>
        new(name, Memory<T>.Empty, words, isStatistics: false, LayerBufferRule.NotAllZero);

    /// <summary>Why the current contents break <see cref="Rule"/>, or <see langword="null"/> when they keep it.</summary>
    public string? FindViolation()
    {
        if (!IsStatistics)
        {
            foreach (ulong word in Words.Span)
            {
                if (word != 0)
                {
                    return null;
                }
            }

            return $"buffer '{Name}' is all zero, a state the generator can never reach";
        }

        ReadOnlySpan<T> values = Values.Span;
        for (int i = 0; i < values.Length; i++)
        {
            if (!T.IsFinite(values[i]) || (Rule == LayerBufferRule.FiniteNonNegative && T.IsNegative(values[i])))
            {
                string must = Rule == LayerBufferRule.FiniteNonNegative ? "finite and ≥ 0" : "finite";
                return $"buffer '{Name}' holds {values[i]} at index {i}; it must be {must}";
            }
        }

        return null;
    }

    /// <summary>Copies another buffer's contents into this one.</summary>
    /// <param name="source">A buffer with the same name, kind and length.</param>
    /// <exception cref="ArgumentException">The buffers do not match.</exception>
    public void CopyFrom(LayerBuffer<T> source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (source.Name != Name || source.IsStatistics != IsStatistics || source.Length != Length)
        {
            throw new ArgumentException($"Buffer '{source.Name}' ({source.Length}) does not match '{Name}' ({Length}).", nameof(source));
        }

        if (IsStatistics)
        {
            source.Values.Span.CopyTo(Values.Span);
        }
        else
        {
            source.Words.Span.CopyTo(Words.Span);
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"{Name} ({Length} {(IsStatistics ? "values" : "words")})";
}
