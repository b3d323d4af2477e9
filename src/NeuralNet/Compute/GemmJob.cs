using NeuralNet.Compute.Kernels;

namespace NeuralNet.Compute;

/// <summary>
/// One float32 product on pinned storage, <c>C ← α·op(A)·op(B) (+ C unless Overwrite)</c>, that can run as a whole
/// or as a slice of C's rows or columns.
/// </summary>
internal readonly unsafe struct GemmJob
{
    /// <summary>
    /// Describes the product; the pointers must stay pinned until it has run. With <paramref name="overwrite"/>, the
    /// <paramref name="bias"/> of each row of C (null for none) is added to the full sum; <paramref name="relu"/> stores
    /// <c>max(·, 0)</c> of the result.
    /// </summary>
    public GemmJob(GemmPath path, bool transposeA, bool transposeB, int m, int n, int k, float alpha,
        float* a, nint lda, float* b, nint ldb, float* c, nint ldc, bool overwrite, bool shortcuts, float* bias = null, bool relu = false)
    {
        Bias = bias;
        Relu = relu;
        Path = path;
        TransposeA = transposeA;
        TransposeB = transposeB;
        M = m;
        N = n;
        K = k;
        Alpha = alpha;
        A = a;
        Lda = lda;
        B = b;
        Ldb = ldb;
        C = c;
        Ldc = ldc;
        Overwrite = overwrite;
        Shortcuts = shortcuts;
    }

    public GemmPath Path { get; }

    public bool TransposeA { get; }

    public bool TransposeB { get; }

    public int M { get; }

    public int N { get; }

    public int K { get; }

    public float Alpha { get; }

    public float* A { get; }

    public nint Lda { get; }

    public float* B { get; }

    public nint Ldb { get; }

    public float* C { get; }

    public nint Ldc { get; }

    public bool Overwrite { get; }

    public bool Shortcuts { get; }

    /// <summary>The bias of each row of C, added to the full sum when overwriting; null for none.</summary>
    public float* Bias { get; }

    /// <summary>Whether C receives <c>max(·, 0)</c> of the result.</summary>
    public bool Relu { get; }

    /// <summary>Tile height of the path's kernel: row slices are cut on multiples of it.</summary>
    public int TileRows => WideTiles ? Avx512Kernel.Rows : Avx2Kernel.Rows;

    /// <summary>Tile width of the path's kernel: column slices are cut on multiples of it.</summary>
    public int TileColumns => WideTiles ? Avx512Kernel.Columns : Avx2Kernel.Columns;

    /// <summary>
    /// Whether the AVX-512 kernel's 32-row tiles run. A product of at most 16 rows (a classifier's last layer) takes
    /// the AVX2 kernel's 16-row tiles on the AVX-512 path too: 10 rows pad to 16 instead of 32, half the arithmetic,
    /// at the same FLOP rate (Zen 4 runs a 512-bit FMA as two 256-bit halves) and with the same bits (both kernels sum
    /// each element over the same depth blocks in the same order).
    /// </summary>
    public bool WideTiles => Path == GemmPath.Vector512 && M > Avx2Kernel.Rows;

    /// <summary>
    /// Slices go across the longer side of C: each slice packs all of the operand along the other side, so cutting
    /// rows repeats the packing of B (k × n) and cutting columns repeats that of A (m × k); the smaller one is repeated.
    /// </summary>
    public bool SliceRows => M > N;

    /// <summary>How many slices the product can be cut into at most (one per tile along the sliced side).</summary>
    public int MaxSlices => SliceRows ? (M + TileRows - 1) / TileRows : (N + TileColumns - 1) / TileColumns;

    /// <summary>Runs the whole product on the calling thread.</summary>
    public void Run() => RunBlock(0, M, 0, N);

    /// <summary>Runs slice <paramref name="part"/> of <paramref name="parts"/> near-equal slices (whole tiles each).</summary>
    public void RunPart(int part, int parts)
    {
        int tile = SliceRows ? TileRows : TileColumns;
        int length = SliceRows ? M : N;
        int tiles = (length + tile - 1) / tile;
        int first = (int)((long)tiles * part / parts) * tile;
        int last = Math.Min(length, (int)((long)tiles * (part + 1) / parts) * tile);
        if (first >= last)
        {
            return;
        }

        if (SliceRows)
        {
            RunBlock(first, last - first, 0, N);
        }
        else
        {
            RunBlock(0, M, first, last - first);
        }
    }

    private void RunBlock(int firstRow, int rows, int firstColumn, int columns)
    {
        float* a = A + (TransposeA ? firstRow * Lda : firstRow);
        float* b = B + (TransposeB ? firstColumn : firstColumn * Ldb);
        float* c = C + firstRow + (firstColumn * Ldc);
        float* bias = Bias == null ? null : Bias + firstRow;

        // Decided on the whole product, not the slice, so a sliced product sums exactly as an unsliced one.
        if (Shortcuts && !TransposeA && N <= SkinnyGemm.MaxColumns)
        {
            SkinnyGemm.Run(Path == GemmPath.Vector512, TransposeB, rows, columns, K, Alpha, a, Lda, b, Ldb, c, Ldc, Overwrite, bias, Relu);
        }
        else if (WideTiles)
        {
            BlockedGemm<Avx512Kernel>.Run(TransposeA, TransposeB, rows, columns, K, Alpha, a, Lda, b, Ldb, c, Ldc, Overwrite, bias, Relu);
        }
        else
        {
            BlockedGemm<Avx2Kernel>.Run(TransposeA, TransposeB, rows, columns, K, Alpha, a, Lda, b, Ldb, c, Ldc, Overwrite, bias, Relu);
        }
    }
}
