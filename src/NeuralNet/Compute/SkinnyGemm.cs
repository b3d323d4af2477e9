using System.Runtime.Intrinsics;

namespace NeuralNet.Compute;

/// <summary>
/// Float32 product for a handful of columns (inference on one sample): <c>C ← α·A·op(B) (+ C)</c> with A not
/// transposed, as column sweeps over A read in place. Packing A would cost as much as the product itself here.
/// </summary>
internal static unsafe class SkinnyGemm
{
    /// <summary>Widest C handled here; wider products amortise packing and go to <see cref="BlockedGemm{TKernel}"/>.</summary>
    public const int MaxColumns = 3;

    /// <summary>
    /// Computes <c>C[:, j] ← act(α·Σₚ A[:, p]·op(B)(p, j) + bias)</c> (or <c>+ C[:, j]</c> unless
    /// <paramref name="overwrite"/>) for each column j; <paramref name="bias"/> may be null, <c>act</c> is
    /// <c>max(·, 0)</c> when <paramref name="relu"/>.
    /// </summary>
    public static void Run(
        bool wide, bool transposeB, int m, int n, int k, float alpha,
        float* a, nint lda, float* b, nint ldb, float* c, nint ldc, bool overwrite, float* bias, bool relu)
    {
        nint rowStep = transposeB ? ldb : 1;
        nint columnStep = transposeB ? 1 : ldb;
        for (int j = 0; j < n; j++)
        {
            float* x = b + (j * columnStep);
            float* y = c + (j * ldc);
            int i = wide ? Rows512(m, k, alpha, a, lda, x, rowStep, y, overwrite, bias, relu) : Rows256(m, k, alpha, a, lda, x, rowStep, y, overwrite, bias, relu);
            RemainingRows(i, m, k, alpha, a, lda, x, rowStep, y, overwrite, bias, relu);
        }
    }

    private static int Rows512(int m, int k, float alpha, float* a, nint lda, float* x, nint step, float* y, bool overwrite, float* bias, bool relu)
    {
        int i = 0;
        for (; i + 256 <= m; i += 256)
        {
            // Sixteen sums: a whole kilobyte of each column of A per step, read contiguously (the prefetcher streams it).
            Vector512<float> s0 = Vector512<float>.Zero, s1 = s0, s2 = s0, s3 = s0, s4 = s0, s5 = s0, s6 = s0, s7 = s0;
            Vector512<float> s8 = s0, s9 = s0, s10 = s0, s11 = s0, s12 = s0, s13 = s0, s14 = s0, s15 = s0;
            float* column = a + i;
            for (int p = 0; p < k; p++, column += lda)
            {
                Vector512<float> xp = Vector512.Create(x[p * step]);
                s0 = Vector512.FusedMultiplyAdd(Vector512.Load(column), xp, s0);
                s1 = Vector512.FusedMultiplyAdd(Vector512.Load(column + 16), xp, s1);
                s2 = Vector512.FusedMultiplyAdd(Vector512.Load(column + 32), xp, s2);
                s3 = Vector512.FusedMultiplyAdd(Vector512.Load(column + 48), xp, s3);
                s4 = Vector512.FusedMultiplyAdd(Vector512.Load(column + 64), xp, s4);
                s5 = Vector512.FusedMultiplyAdd(Vector512.Load(column + 80), xp, s5);
                s6 = Vector512.FusedMultiplyAdd(Vector512.Load(column + 96), xp, s6);
                s7 = Vector512.FusedMultiplyAdd(Vector512.Load(column + 112), xp, s7);
                s8 = Vector512.FusedMultiplyAdd(Vector512.Load(column + 128), xp, s8);
                s9 = Vector512.FusedMultiplyAdd(Vector512.Load(column + 144), xp, s9);
                s10 = Vector512.FusedMultiplyAdd(Vector512.Load(column + 160), xp, s10);
                s11 = Vector512.FusedMultiplyAdd(Vector512.Load(column + 176), xp, s11);
                s12 = Vector512.FusedMultiplyAdd(Vector512.Load(column + 192), xp, s12);
                s13 = Vector512.FusedMultiplyAdd(Vector512.Load(column + 208), xp, s13);
                s14 = Vector512.FusedMultiplyAdd(Vector512.Load(column + 224), xp, s14);
                s15 = Vector512.FusedMultiplyAdd(Vector512.Load(column + 240), xp, s15);
            }

            Store(s0, alpha, y, i, bias, overwrite, relu);
            Store(s1, alpha, y, i + 16, bias, overwrite, relu);
            Store(s2, alpha, y, i + 32, bias, overwrite, relu);
            Store(s3, alpha, y, i + 48, bias, overwrite, relu);
            Store(s4, alpha, y, i + 64, bias, overwrite, relu);
            Store(s5, alpha, y, i + 80, bias, overwrite, relu);
            Store(s6, alpha, y, i + 96, bias, overwrite, relu);
            Store(s7, alpha, y, i + 112, bias, overwrite, relu);
            Store(s8, alpha, y, i + 128, bias, overwrite, relu);
            Store(s9, alpha, y, i + 144, bias, overwrite, relu);
            Store(s10, alpha, y, i + 160, bias, overwrite, relu);
            Store(s11, alpha, y, i + 176, bias, overwrite, relu);
            Store(s12, alpha, y, i + 192, bias, overwrite, relu);
            Store(s13, alpha, y, i + 208, bias, overwrite, relu);
            Store(s14, alpha, y, i + 224, bias, overwrite, relu);
            Store(s15, alpha, y, i + 240, bias, overwrite, relu);
        }

        for (; i + 128 <= m; i += 128)
        {
            // Eight independent sums hide the fused multiply-add latency; A is read a column chunk at a time.
            Vector512<float> s0 = Vector512<float>.Zero, s1 = s0, s2 = s0, s3 = s0, s4 = s0, s5 = s0, s6 = s0, s7 = s0;
            float* column = a + i;
            for (int p = 0; p < k; p++, column += lda)
            {
                Vector512<float> xp = Vector512.Create(x[p * step]);
                s0 = Vector512.FusedMultiplyAdd(Vector512.Load(column), xp, s0);
                s1 = Vector512.FusedMultiplyAdd(Vector512.Load(column + 16), xp, s1);
                s2 = Vector512.FusedMultiplyAdd(Vector512.Load(column + 32), xp, s2);
                s3 = Vector512.FusedMultiplyAdd(Vector512.Load(column + 48), xp, s3);
                s4 = Vector512.FusedMultiplyAdd(Vector512.Load(column + 64), xp, s4);
                s5 = Vector512.FusedMultiplyAdd(Vector512.Load(column + 80), xp, s5);
                s6 = Vector512.FusedMultiplyAdd(Vector512.Load(column + 96), xp, s6);
                s7 = Vector512.FusedMultiplyAdd(Vector512.Load(column + 112), xp, s7);
            }

            Store(s0, alpha, y, i, bias, overwrite, relu);
            Store(s1, alpha, y, i + 16, bias, overwrite, relu);
            Store(s2, alpha, y, i + 32, bias, overwrite, relu);
            Store(s3, alpha, y, i + 48, bias, overwrite, relu);
            Store(s4, alpha, y, i + 64, bias, overwrite, relu);
            Store(s5, alpha, y, i + 80, bias, overwrite, relu);
            Store(s6, alpha, y, i + 96, bias, overwrite, relu);
            Store(s7, alpha, y, i + 112, bias, overwrite, relu);
        }

        for (; i + 16 <= m; i += 16)
        {
            Vector512<float> s = Vector512<float>.Zero;
            float* column = a + i;
            for (int p = 0; p < k; p++, column += lda)
            {
                s = Vector512.FusedMultiplyAdd(Vector512.Load(column), Vector512.Create(x[p * step]), s);
            }

            Store(s, alpha, y, i, bias, overwrite, relu);
        }

        return i;
    }

    private static int Rows256(int m, int k, float alpha, float* a, nint lda, float* x, nint step, float* y, bool overwrite, float* bias, bool relu)
    {
        int i = 0;
        for (; i + 64 <= m; i += 64)
        {
            // Eight independent sums hide the fused multiply-add latency; A is read a column chunk at a time.
            Vector256<float> s0 = Vector256<float>.Zero, s1 = s0, s2 = s0, s3 = s0, s4 = s0, s5 = s0, s6 = s0, s7 = s0;
            float* column = a + i;
            for (int p = 0; p < k; p++, column += lda)
            {
                Vector256<float> xp = Vector256.Create(x[p * step]);
                s0 = Vector256.FusedMultiplyAdd(Vector256.Load(column), xp, s0);
                s1 = Vector256.FusedMultiplyAdd(Vector256.Load(column + 8), xp, s1);
                s2 = Vector256.FusedMultiplyAdd(Vector256.Load(column + 16), xp, s2);
                s3 = Vector256.FusedMultiplyAdd(Vector256.Load(column + 24), xp, s3);
                s4 = Vector256.FusedMultiplyAdd(Vector256.Load(column + 32), xp, s4);
                s5 = Vector256.FusedMultiplyAdd(Vector256.Load(column + 40), xp, s5);
                s6 = Vector256.FusedMultiplyAdd(Vector256.Load(column + 48), xp, s6);
                s7 = Vector256.FusedMultiplyAdd(Vector256.Load(column + 56), xp, s7);
            }

            Store(s0, alpha, y, i, bias, overwrite, relu);
            Store(s1, alpha, y, i + 8, bias, overwrite, relu);
            Store(s2, alpha, y, i + 16, bias, overwrite, relu);
            Store(s3, alpha, y, i + 24, bias, overwrite, relu);
            Store(s4, alpha, y, i + 32, bias, overwrite, relu);
            Store(s5, alpha, y, i + 40, bias, overwrite, relu);
            Store(s6, alpha, y, i + 48, bias, overwrite, relu);
            Store(s7, alpha, y, i + 56, bias, overwrite, relu);
        }

        for (; i + 8 <= m; i += 8)
        {
            Vector256<float> s = Vector256<float>.Zero;
            float* column = a + i;
            for (int p = 0; p < k; p++, column += lda)
            {
                s = Vector256.FusedMultiplyAdd(Vector256.Load(column), Vector256.Create(x[p * step]), s);
            }

            Store(s, alpha, y, i, bias, overwrite, relu);
        }

        return i;
    }

    private static void RemainingRows(int first, int m, int k, float alpha, float* a, nint lda, float* x, nint step, float* y, bool overwrite, float* bias, bool relu)
    {
        int rows = m - first;
        if (rows == 0)
        {
            return;
        }

        // Fewer rows than a vector: keep one running sum per row, walking A column by column (its storage order).
        Span<float> sums = stackalloc float[rows];
        sums.Clear();
        float* column = a + first;
        for (int p = 0; p < k; p++, column += lda)
        {
            float xp = x[p * step];
            for (int r = 0; r < rows; r++)
            {
                sums[r] = MathF.FusedMultiplyAdd(column[r], xp, sums[r]);
            }
        }

        for (int r = 0; r < rows; r++)
        {
            float value = !overwrite ? MathF.FusedMultiplyAdd(alpha, sums[r], y[first + r])
                : bias != null ? MathF.FusedMultiplyAdd(alpha, sums[r], bias[first + r])
                : alpha * sums[r];
            y[first + r] = relu ? float.Max(value, 0f) : value;
        }
    }

    /// <summary>Stores <c>act(α·sum + bias)</c> (or <c>+ y</c>) at <c>y + i</c>, as <see cref="Kernels.TileStore"/> describes.</summary>
    private static void Store(Vector512<float> sum, float alpha, float* y, int i, float* bias, bool overwrite, bool relu)
    {
        Vector512<float> value = !overwrite ? Vector512.FusedMultiplyAdd(sum, Vector512.Create(alpha), Vector512.Load(y + i))
            : bias != null ? Vector512.FusedMultiplyAdd(sum, Vector512.Create(alpha), Vector512.Load(bias + i))
            : sum * alpha;
        Vector512.Store(relu ? Vector512.Max(value, Vector512<float>.Zero) : value, y + i);
    }

    /// <summary>Stores <c>act(α·sum + bias)</c> (or <c>+ y</c>) at <c>y + i</c>, as <see cref="Kernels.TileStore"/> describes.</summary>
    private static void Store(Vector256<float> sum, float alpha, float* y, int i, float* bias, bool overwrite, bool relu)
    {
        Vector256<float> value = !overwrite ? Vector256.FusedMultiplyAdd(sum, Vector256.Create(alpha), Vector256.Load(y + i))
            : bias != null ? Vector256.FusedMultiplyAdd(sum, Vector256.Create(alpha), Vector256.Load(bias + i))
            : sum * alpha;
        Vector256.Store(relu ? Vector256.Max(value, Vector256<float>.Zero) : value, y + i);
    }
}
