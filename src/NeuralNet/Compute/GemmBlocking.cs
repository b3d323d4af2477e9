namespace NeuralNet.Compute;

/// <summary>
/// Cache-blocking sizes of the float32 product: a <c>kc × nc</c> block of packed B stays in L2 while one
/// <c>MR × kc</c> panel of packed A stays in L1 and is swept across it.
/// </summary>
internal static class GemmBlocking
{
    /// <summary>Largest depth <c>kc</c> of a block: an AVX-512 panel of A (32 × 256 floats = 32 KB) fits L1.</summary>
    public const int MaxDepth = 256;

    /// <summary>Largest width <c>nc</c> of a packed B block (256 × 1024 floats = 1 MB, within L2).</summary>
    public const int MaxWidth = 1024;

    /// <summary>Splits <paramref name="length"/> into equal blocks no longer than <paramref name="limit"/>, so no block is a sliver.</summary>
    /// <returns>The block length; the last block may be shorter.</returns>
    public static int Balanced(int length, int limit)
    {
        int blocks = (length + limit - 1) / limit;
        return (length + blocks - 1) / blocks;
    }
}
