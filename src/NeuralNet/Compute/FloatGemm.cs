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
        float beta, Span<float> c, int ldc) =>
        Multiply(path, transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, [], relu: false);

    /// <summary>
    /// As <see cref="Multiply(GemmPath, bool, bool, int, int, int, float, ReadOnlySpan{float}, int, ReadOnlySpan{float}, int, float, Span{float}, int)"/>,
    /// and when β = 0 adds <paramref name="bias"/> (one value per row of C, or empty for none) to the full sum and
    /// stores <c>max(·, 0)</c> of the result if <paramref name="relu"/>, while the sums are in registers.
    /// </summary>
    public static void Multiply(
        GemmPath path, bool transposeA, bool transposeB, int m, int n, int k,
        float alpha, ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb,
        float beta, Span<float> c, int ldc, ReadOnlySpan<float> bias, bool relu)
    {
        // β = 0 stores instead of adding, so garbage (even NaN) already in C is never read.
        bool overwrite = beta == 0;
        if (!overwrite && beta != 1)
        {
            Gemm.ScaleC(m, n, beta, c, ldc);
        }

        fixed (float* pa = a, pb = b, pc = c, pbias = bias)
        {
            float* rowBias = bias.IsEmpty ? null : pbias;
            bool shortcuts = !ComputeSettings.BlockedKernelOnly;
            if (shortcuts && (long)m * n * k <= TinyGemm.MaxMultiplyAdds)
            {
                TinyGemm.Run(transposeA, transposeB, m, n, k, alpha, pa, lda, pb, ldb, pc, ldc, overwrite, rowBias, relu);
                return;
            }

            var job = new GemmJob(path, transposeA, transposeB, m, n, k, alpha, pa, lda, pb, ldb, pc, ldc, overwrite, shortcuts, rowBias, relu);
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
