namespace NeuralNet.Compute;

/// <summary>
/// Float32 product for very small shapes (a 2-8-1 network): plain loops, because packing panels and padding
/// tiles cost more than the arithmetic there.
/// </summary>
internal static unsafe class TinyGemm
{
    /// <summary>Products with at most this many multiply-adds (<c>m·n·k</c>) take this path.</summary>
    public const long MaxMultiplyAdds = 4096;

    /// <summary>
    /// <c>C ← act(α·op(A)·op(B) + bias)</c>, or <c>+ C</c> unless <paramref name="overwrite"/>; <paramref name="bias"/>
    /// (one value per row of C) may be null, <c>act</c> is <c>max(·, 0)</c> when <paramref name="relu"/>.
    /// </summary>
    public static void Run(
        bool transposeA, bool transposeB, int m, int n, int k, float alpha,
        float* a, nint lda, float* b, nint ldb, float* c, nint ldc, bool overwrite, float* bias = null, bool relu = false)
    {
        // Element (i, p) of op(A) at a[i·aRow + p·aDepth]; element (p, j) of op(B) at b[p·bDepth + j·bColumn].
        nint aRow = transposeA ? lda : 1, aDepth = transposeA ? 1 : lda;
        nint bDepth = transposeB ? ldb : 1, bColumn = transposeB ? 1 : ldb;
        for (int j = 0; j < n; j++)
        {
            float* column = c + (j * ldc);
            float* bj = b + (j * bColumn);
            for (int i = 0; i < m; i++)
            {
                float* ai = a + (i * aRow);
                float sum = 0f;
                for (int p = 0; p < k; p++)
                {
                    sum = MathF.FusedMultiplyAdd(ai[p * aDepth], bj[p * bDepth], sum);
                }

                float value = !overwrite ? MathF.FusedMultiplyAdd(alpha, sum, column[i])
                    : bias != null ? MathF.FusedMultiplyAdd(alpha, sum, bias[i])
                    : alpha * sum;
                column[i] = relu ? float.Max(value, 0f) : value;
            }
        }
    }
}
