namespace NeuralNet.Data;

/// <summary>
/// SplitMix64 (Steele, Lea and Flood, 2014), the generator behind every random choice of the sequence data sets
/// (<see cref="WordLanguage"/>, <see cref="Fortunes"/>): a 64-bit state advanced by a constant and mixed, so the same
/// seed gives the same draws in any language (the data sets' <c>check.py</c> has the Python twin).
/// </summary>
/// <remarks>
/// With all arithmetic mod 2^64:
/// <code>
/// next():   s += 0x9E3779B97F4A7C15; z = s; z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
///           z = (z ^ (z >> 27)) * 0x94D049BB133111EB; return z ^ (z >> 31)
/// below(n) = next() % n          U() = (next() >> 11) · 2^-53
/// shuffle(a): for i = len(a) − 1 down to 1: j = next() % (i + 1); swap a[i], a[j]      (Fisher–Yates)
/// </code>
/// <c>below</c> keeps the modulo's small bias on purpose: the draws must equal the published definition's.
/// </remarks>
public sealed class SplitMix64
{
    private ulong state;

    /// <summary>Starts the generator at <paramref name="seed"/> (the state before the first draw).</summary>
    /// <param name="seed">The seed; every value is valid.</param>
    public SplitMix64(ulong seed)
    {
        state = seed;
    }

    /// <summary>The state: the seed advanced by one increment per draw so far.</summary>
    public ulong State => state;

    /// <summary>The next 64-bit value: <c>next()</c>.</summary>
    public ulong Next()
    {
        state += 0x9E3779B97F4A7C15UL;
        ulong z = state;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A value in <c>[0, n)</c>: <c>below(n) = next() % n</c>.</summary>
    /// <param name="n">The bound, at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="n"/> is not positive.</exception>
    public int Below(int n)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(n);
        return (int)(Next() % (ulong)n);
    }

    /// <summary>A value in <c>[0, n)</c>: <c>below(n) = next() % n</c>, for bounds beyond <see cref="int"/>.</summary>
    /// <param name="n">The bound, at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="n"/> is 0.</exception>
    public ulong Below(ulong n)
    {
        ArgumentOutOfRangeException.ThrowIfZero(n);
        return Next() % n;
    }

    /// <summary>A uniform value in <c>[0, 1)</c> with 53 random bits: <c>U() = (next() >> 11) · 2^-53</c>.</summary>
    public double NextDouble() => (Next() >> 11) * (1.0 / (1UL << 53));

    /// <summary>
    /// Shuffles <paramref name="items"/> in place (Fisher–Yates): for <c>i</c> from the last index down to 1,
    /// <c>j = next() % (i + 1)</c> and items <c>i</c> and <c>j</c> swap; <c>n − 1</c> draws for <c>n</c> items.
    /// </summary>
    /// <param name="items">The items to shuffle.</param>
    /// <typeparam name="TItem">The item type.</typeparam>
    public void Shuffle<TItem>(Span<TItem> items)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = (int)(Next() % (ulong)(i + 1));
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
