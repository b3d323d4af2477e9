namespace NeuralNet.Compute.Kernels;

/// <summary>
/// A register-tiled micro-kernel: one <c>Rows × Columns</c> tile of <c>C</c> from packed panels of <c>A</c> and <c>B</c>.
/// </summary>
/// <remarks>
/// A holds, for each <c>p</c> in <c>[0, kc)</c>, <c>Rows</c> consecutive values of column <c>p</c> of op(A), the next
/// <c>p</c>'s <c>aStep</c> floats further on (<c>Rows</c> when packed, A's leading dimension when read in place);
/// packed B holds, for each <c>p</c>, <c>Columns</c> consecutive values of row <c>p</c> of op(B).
/// The tile is <c>C ← α·Σₚ a[p]·b[p]ᵀ (+ C unless overwrite)</c>, C column-major with leading dimension <c>ldc</c>,
/// with the bias and ReLU of <see cref="TileStore"/> applied while the sums are in registers.
/// </remarks>
internal interface IMicroKernel
{
    /// <summary>Tile height <c>MR</c> (a multiple of the vector width).</summary>
    static abstract int Rows { get; }

    /// <summary>Tile width <c>NR</c>.</summary>
    static abstract int Columns { get; }

    /// <summary>Computes one full tile; see the type's remarks.</summary>
    static abstract unsafe void Run(int kc, float* a, nint aStep, float* b, float* c, nint ldc, in TileStore store);

    /// <summary>
    /// As <see cref="Run"/>, but B is read in place: <c>Columns</c> columns of a column-major matrix from
    /// <paramref name="b"/> with leading dimension <paramref name="ldb"/> (row <c>p</c> of the tile's B at
    /// <c>b[p + j·ldb]</c>), which saves packing B when it is not transposed. Same sums, same bits.
    /// </summary>
    static abstract unsafe void RunUnpacked(int kc, float* a, nint aStep, float* b, nint ldb, float* c, nint ldc, in TileStore store);
}
