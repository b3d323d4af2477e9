namespace NeuralNet.Tests.Data;

/// <summary>Random bits that select a given outcome of a transform, by the mappings the transforms document.</summary>
internal static class TransformBits
{
    /// <summary>Bits for which <c>RandomShift(maxShift)</c> moves the image by (<paramref name="dy"/>, <paramref name="dx"/>).</summary>
    public static ulong Shift(int dy, int dx, int maxShift)
    {
        ulong offsets = (ulong)((2 * maxShift) + 1);
        return (Word(dx + maxShift, offsets) << 32) | Word(dy + maxShift, offsets);
    }

    /// <summary>Bits whose top 53, read as a number in [0, 1), are <paramref name="uniform"/>.</summary>
    public static ulong Uniform(double uniform) => (ulong)(uniform * (1UL << 53)) << 11;

    /// <summary>The smallest 32-bit word w with ⌊w · offsets / 2³²⌋ = index.</summary>
    private static ulong Word(int index, ulong offsets) => (((ulong)index << 32) + offsets - 1) / offsets;
}
