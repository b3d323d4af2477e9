namespace NeuralNet.Compute;

/// <summary>
/// Entry of the float32 fast path: resolves β, pins the spans, and runs the product on one thread or split across
/// <see cref="GemmWorkers"/>.
/// </summary>
internal static unsafe class FloatGemm
{
    /// <summary>
    /// <c>C ← α·op(A)·op(B) + β·C</c> for non-empty, validated shapes with <c>k &gt; 0</c> and <c>α ≠ 0</c>, and not both operands transposed.
    /// </summary>
    public static void Multiply(
        GemmPath path, bool transposeA, bool transposeB, int m, int n, int k,
        float alpha, ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb,
        float beta, Span<float> c, int ldc)
    {
        // β = 0 stores instead of adding, so garbage (even NaN) already in C is never read.
        bool overwrite = beta == 0;
        if (!overwrite && beta != 1)
        {
            Gemm.ScaleC(m, n, beta, c, ldc);
        }

        fixed (float* pa = a, pb = b, pc = c)
        {
            bool shortcuts = !ComputeSettings.BlockedKernelOnly;
            if (shortcuts && (long)m * n * k <= TinyGemm.MaxMultiplyAdds)
            {
                TinyGemm.Run(transposeA, transposeB, m, n, k, alpha, pa, lda, pb, ldb, pc, ldc, overwrite);
                return;
            }

            var job = new GemmJob(path, transposeA, transposeB, m, n, k, alpha, pa, lda, pb, ldb, pc, ldc, overwrite, shortcuts);
            bool skinny = shortcuts && !transposeA && n <= SkinnyGemm.MaxColumns;
            int parts = Parts(m, n, k, skinny, job.MaxSlices);
            if (parts < 2 || !GemmWorkers.TryRun(job, parts))
            {
                job.Run();
            }
        }
    }

    private static int Parts(int m, int n, int k, bool skinny, int maxSlices)
    {
        int threads = ComputeInfo.MaxThreads;
        bool large = 2L * m * n * k >= ComputeSettings.ParallelThresholdFlops
            || (skinny && (long)m * k >= ComputeSettings.SkinnySplitElements);
        if (threads < 2 || !large)
        {
            return 1;
        }

        return Math.Min(threads, maxSlices);
    }
}
