namespace NeuralNet.Layers;

/// <summary>
/// The xoshiro256** generator (Blackman and Vigna, 2018): 256 bits of state that can be read and written, so a
/// layer's random stream can be checkpointed and resumed exactly — which <see cref="Random"/> does not allow.
/// </summary>
/// <remarks>
/// Seeding expands one 64-bit value with SplitMix64 (as the authors recommend), which never yields the all-zero
/// state the generator cannot leave. <see cref="NextDouble"/> takes the top 53 bits, so it is uniform on [0, 1).
/// </remarks>
internal sealed class Xoshiro256StarStar
{
    /// <summary>Number of 64-bit words of state.</summary>
    public const int StateWords = 4;

    private readonly ulong[] words = new ulong[StateWords];

    public Xoshiro256StarStar(ulong seed)
    {
        ulong x = seed;
        for (int i = 0; i < StateWords; i++)
        {
            words[i] = SplitMix64(ref x);
        }
    }

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        ulong[] s = words;
        ulong s0 = s[0], s1 = s[1], s2 = s[2], s3 = s[3];
        ulong result = ulong.RotateLeft(s1 * 5, 7) * 9;
        ulong t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = ulong.RotateLeft(s3, 45);
        s[0] = s0;
        s[1] = s1;
        s[2] = s2;
        s[3] = s3;
        return result;
    }

    /// <summary>The live state words (writes change the generator), for the layer's buffer.</summary>
    public Memory<ulong> State => words;

    /// <summary>Uniform on [0, 1): the top 53 bits scaled by 2⁻⁵³.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Copies the state into <paramref name="state"/> (<see cref="StateWords"/> words).</summary>
    public void GetState(Span<ulong> state)
    {
        words.CopyTo(state);
    }

    /// <summary>Replaces the state; the all-zero state is rejected because the generator would emit zeros forever.</summary>
    /// <exception cref="ArgumentException">The state is all zero or has the wrong length.</exception>
    public void SetState(ReadOnlySpan<ulong> state)
    {
        if (state.Length != StateWords)
        {
            throw new ArgumentException($"A xoshiro256** state has {StateWords} words, got {state.Length}.", nameof(state));
        }

        if ((state[0] | state[1] | state[2] | state[3]) == 0)
        {
            throw new ArgumentException("A xoshiro256** state cannot be all zero.", nameof(state));
        }

        state.CopyTo(words);
    }

    private static ulong SplitMix64(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
