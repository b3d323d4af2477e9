namespace NeuralNet.Training;

/// <summary>
/// The random bits of the augmentation: a counter-based stream (SplitMix64's finalizer over a key), so the bits of a
/// sample depend only on the seed, its epoch, batch and column and the transform's place in the list, never on
/// which thread draws them or on what was drawn before (a resumed run gets the same bits without replaying).
/// </summary>
internal static class AugmentationBits
{
    private const ulong Golden = 0x9E3779B97F4A7C15UL;

    /// <summary>The key of one batch.</summary>
    public static ulong BatchKey(int seed, int epoch, int batch)
    {
        ulong key = Mix(unchecked((ulong)(uint)seed) ^ 0x5851F42D4C957F2DUL);
        key = Mix(key + unchecked((ulong)(uint)epoch * Golden));
        return Mix(key + unchecked((ulong)(uint)batch * Golden));
    }

    /// <summary>The 64 bits of draw number <paramref name="draw"/> of the batch with key <paramref name="batchKey"/>.</summary>
    public static ulong Draw(ulong batchKey, long draw) => Mix(batchKey + unchecked((ulong)(draw + 1) * Golden));

    /// <summary>SplitMix64's output function: a bijection of 64-bit words that mixes every input bit into every output bit.</summary>
    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
