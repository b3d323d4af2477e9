using NeuralNet.Compute.Kernels;

namespace NeuralNet.Compute;

/// <summary>
/// One float32 product on pinned storage, <c>C ← α·op(A)·op(B) (+ C unless Overwrite)</c>, that can run as a whole
/// or as a slice of C's columns.
/// </summary>
internal readonly unsafe struct GemmJob
{
    /// <summary>Describes the product; the pointers must stay pinned until it has run.</summary>
    public GemmJob(GemmPath path, bool transposeA, bool transposeB, int m, int n, int k, float alpha,
        float* a, nint lda, float* b, nint ldb, float* c, nint ldc, bool overwrite, bool shortcuts)
    {
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

    /// <summary>Tile width of the path's kernel: slices are cut on multiples of it.</summary>
    public int TileColumns => Path == GemmPath.Vector512 ? Avx512Kernel.Columns : Avx2Kernel.Columns;

    /// <summary>Runs the whole product on the calling thread.</summary>
    public void Run() => RunColumns(0, N);

    /// <summary>Runs slice <paramref name="part"/> of <paramref name="parts"/> equal column slices.</summary>
    public void RunPart(int part, int parts)
    {
        int tile = TileColumns;
        int tiles = (N + tile - 1) / tile;
        int first = (int)((long)tiles * part / parts) * tile;
        int last = Math.Min(N, (int)((long)tiles * (part + 1) / parts) * tile);
        if (first < last)
        {
            RunColumns(first, last - first);
        }
    }

    private void RunColumns(int first, int count)
    {
        float* b = B + (TransposeB ? first : first * Ldb);
        float* c = C + (first * Ldc);
        // Decided on the whole product, not the slice, so a split product sums exactly as an unsplit one.
        if (Shortcuts && !TransposeA && N <= SkinnyGemm.MaxColumns)
        {
            SkinnyGemm.Run(Path == GemmPath.Vector512, TransposeB, M, count, K, Alpha, A, Lda, b, Ldb, c, Ldc, Overwrite);
        }
        else if (Path == GemmPath.Vector512)
        {
            BlockedGemm<Avx512Kernel>.Run(TransposeA, TransposeB, M, count, K, Alpha, A, Lda, b, Ldb, c, Ldc, Overwrite);
        }
        else
        {
            BlockedGemm<Avx2Kernel>.Run(TransposeA, TransposeB, M, count, K, Alpha, A, Lda, b, Ldb, c, Ldc, Overwrite);
        }
    }
}
