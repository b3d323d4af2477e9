namespace NeuralNet.Compute;

/// <summary>
/// Cache-blocking sizes of the float32 product. The depth <c>kc</c> is as long as possible, so that C is stored once
/// (with its bias and activation) instead of being read and written again per depth block; a <c>kc × nc</c> block of B
/// (packed if transposed, read in place otherwise) stays in L2 while the panels of A (read in place, or packed once per
/// depth block if transposed) are swept across it.
/// </summary>
internal static class GemmBlocking
{
    /// <summary>
    /// Largest depth <c>kc</c> of a block. A panel of packed A (32 × 1024 floats = 128 KB) then lives in L2 rather than
    /// L1; the micro-kernel streams it at nearly full speed (a scratch probe, 256 × 1000 × 784 under load: about
    /// 110 GFLOP/s at kc = 784 against 100 GFLOP/s with four blocks of 196, whose extra passes over C missed the caches).
    /// </summary>
    public const int MaxDepth = 1024;

    /// <summary>Floats of a packed B block (512 KB, half of a Zen 4 core's L2, leaving room for panels of A and C).</summary>
    public const int BlockBFloats = 128 * 1024;

    /// <summary>Floats of a packed block of a transposed A (2 MB): up to 2,048 × 256 are packed once per depth block.</summary>
    public const int BlockAFloats = 512 * 1024;

    /// <summary>Splits <paramref name="length"/> into equal blocks no longer than <paramref name="limit"/>, so no block is a sliver.</summary>
    /// <returns>The block length; the last block may be shorter.</returns>
    public static int Balanced(int length, int limit)
    {
        int blocks = (length + limit - 1) / limit;
        return (length + blocks - 1) / blocks;
    }

    /// <summary>
    /// As <see cref="Balanced"/> for a block of about <paramref name="floats"/> values at depth <paramref name="depth"/>,
    /// rounded up to whole tiles of <paramref name="tile"/> so that only the last block has a ragged edge.
    /// </summary>
    /// <returns>The block length, a multiple of <paramref name="tile"/> (or the whole length if shorter).</returns>
    public static int Tiled(int length, int depth, int floats, int tile)
    {
        int limit = Math.Max(tile, floats / depth / tile * tile);
        int block = (Balanced(length, limit) + tile - 1) / tile * tile;
        return Math.Min(block, length);
    }
}
