namespace NeuralNet.Compute;

/// <summary>
/// Cache-blocking sizes of the float32 product. The depth <c>kc</c> is as long as possible, so that C is stored once
/// (with its bias and activation) instead of being read and written again per depth block; a <c>kc × nc</c> block of
/// packed B stays in L2 while a packed <c>mc × kc</c> block of A (packed once per depth block, not once per block of
/// B's columns) is swept across it panel by panel.
/// </summary>
internal static class GemmBlocking
{
    /// <summary>
    /// Largest depth <c>kc</c> of a block. A panel of packed A (32 × 1024 floats = 128 KB) then lives in L2 rather than
    /// L1; the micro-kernel streams it at full speed (measured: 113 GFLOP/s at kc = 784 against 101 GFLOP/s with
    /// four blocks of 196, whose extra passes over C missed the caches).
    /// </summary>
    public const int MaxDepth = 1024;

    /// <summary>Floats of a packed B block (512 KB, half of a Zen 4 core's L2, leaving room for panels of A and C).</summary>
    public const int BlockBFloats = 128 * 1024;

    /// <summary>Floats of a packed A block (2 MB): the weights of a layer up to 2,048 × 256 are packed once per product.</summary>
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
