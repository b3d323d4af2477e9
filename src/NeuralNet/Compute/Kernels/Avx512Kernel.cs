using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NeuralNet.Compute.Kernels;

/// <summary>The AVX-512 micro-kernel: a 32 × 8 tile of C in sixteen 512-bit accumulators.</summary>
/// <remarks>
/// Per step of <c>p</c>: 2 loads of A, 8 broadcasts of B and 16 fused multiply-adds into
/// 16 accumulators that stay in registers (of the 32 registers of AVX-512). Spelled out in full because the JIT keeps only
/// separate locals in registers. A is read packed or in place (a column of A is contiguous: only the step between
/// columns differs); B is read packed (<see cref="Run"/>) or in place, column by column (<see cref="RunUnpacked"/>).
/// Every form does the same multiply-adds in the same order, so all give the same bits.
/// </remarks>
internal readonly struct Avx512Kernel : IMicroKernel
{
    /// <inheritdoc />
    public static int Rows => 32;

    /// <inheritdoc />
    public static int Columns => 8;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void Run(int kc, float* a, nint aStep, float* b, float* c, nint ldc, in TileStore store)
    {
        Vector512<float> c00 = Vector512<float>.Zero;
        Vector512<float> c10 = Vector512<float>.Zero;
        Vector512<float> c01 = Vector512<float>.Zero;
        Vector512<float> c11 = Vector512<float>.Zero;
        Vector512<float> c02 = Vector512<float>.Zero;
        Vector512<float> c12 = Vector512<float>.Zero;
        Vector512<float> c03 = Vector512<float>.Zero;
        Vector512<float> c13 = Vector512<float>.Zero;
        Vector512<float> c04 = Vector512<float>.Zero;
        Vector512<float> c14 = Vector512<float>.Zero;
        Vector512<float> c05 = Vector512<float>.Zero;
        Vector512<float> c15 = Vector512<float>.Zero;
        Vector512<float> c06 = Vector512<float>.Zero;
        Vector512<float> c16 = Vector512<float>.Zero;
        Vector512<float> c07 = Vector512<float>.Zero;
        Vector512<float> c17 = Vector512<float>.Zero;
        for (int p = 0; p < kc; p++)
        {
            Vector512<float> a0 = Vector512.Load(a + 0);
            Vector512<float> a1 = Vector512.Load(a + 16);
            Vector512<float> b0v = Vector512.Create(b[0]);
            c00 = Vector512.FusedMultiplyAdd(a0, b0v, c00);
            c10 = Vector512.FusedMultiplyAdd(a1, b0v, c10);
            Vector512<float> b1v = Vector512.Create(b[1]);
            c01 = Vector512.FusedMultiplyAdd(a0, b1v, c01);
            c11 = Vector512.FusedMultiplyAdd(a1, b1v, c11);
            Vector512<float> b2v = Vector512.Create(b[2]);
            c02 = Vector512.FusedMultiplyAdd(a0, b2v, c02);
            c12 = Vector512.FusedMultiplyAdd(a1, b2v, c12);
            Vector512<float> b3v = Vector512.Create(b[3]);
            c03 = Vector512.FusedMultiplyAdd(a0, b3v, c03);
            c13 = Vector512.FusedMultiplyAdd(a1, b3v, c13);
            Vector512<float> b4v = Vector512.Create(b[4]);
            c04 = Vector512.FusedMultiplyAdd(a0, b4v, c04);
            c14 = Vector512.FusedMultiplyAdd(a1, b4v, c14);
            Vector512<float> b5v = Vector512.Create(b[5]);
            c05 = Vector512.FusedMultiplyAdd(a0, b5v, c05);
            c15 = Vector512.FusedMultiplyAdd(a1, b5v, c15);
            Vector512<float> b6v = Vector512.Create(b[6]);
            c06 = Vector512.FusedMultiplyAdd(a0, b6v, c06);
            c16 = Vector512.FusedMultiplyAdd(a1, b6v, c16);
            Vector512<float> b7v = Vector512.Create(b[7]);
            c07 = Vector512.FusedMultiplyAdd(a0, b7v, c07);
            c17 = Vector512.FusedMultiplyAdd(a1, b7v, c17);
            a += aStep;
            b += 8;
        }

        Column(c00, c10, c + (0 * ldc), store);
        Column(c01, c11, c + (1 * ldc), store);
        Column(c02, c12, c + (2 * ldc), store);
        Column(c03, c13, c + (3 * ldc), store);
        Column(c04, c14, c + (4 * ldc), store);
        Column(c05, c15, c + (5 * ldc), store);
        Column(c06, c16, c + (6 * ldc), store);
        Column(c07, c17, c + (7 * ldc), store);
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void RunUnpacked(int kc, float* a, nint aStep, float* b, nint ldb, float* c, nint ldc, in TileStore store)
    {
        Vector512<float> c00 = Vector512<float>.Zero;
        Vector512<float> c10 = Vector512<float>.Zero;
        Vector512<float> c01 = Vector512<float>.Zero;
        Vector512<float> c11 = Vector512<float>.Zero;
        Vector512<float> c02 = Vector512<float>.Zero;
        Vector512<float> c12 = Vector512<float>.Zero;
        Vector512<float> c03 = Vector512<float>.Zero;
        Vector512<float> c13 = Vector512<float>.Zero;
        Vector512<float> c04 = Vector512<float>.Zero;
        Vector512<float> c14 = Vector512<float>.Zero;
        Vector512<float> c05 = Vector512<float>.Zero;
        Vector512<float> c15 = Vector512<float>.Zero;
        Vector512<float> c06 = Vector512<float>.Zero;
        Vector512<float> c16 = Vector512<float>.Zero;
        Vector512<float> c07 = Vector512<float>.Zero;
        Vector512<float> c17 = Vector512<float>.Zero;
        float* b0 = b + (0 * ldb);
        float* b1 = b + (1 * ldb);
        float* b2 = b + (2 * ldb);
        float* b3 = b + (3 * ldb);
        float* b4 = b + (4 * ldb);
        float* b5 = b + (5 * ldb);
        float* b6 = b + (6 * ldb);
        float* b7 = b + (7 * ldb);
        for (int p = 0; p < kc; p++)
        {
            Vector512<float> a0 = Vector512.Load(a + 0);
            Vector512<float> a1 = Vector512.Load(a + 16);
            Vector512<float> b0v = Vector512.Create(b0[p]);
            c00 = Vector512.FusedMultiplyAdd(a0, b0v, c00);
            c10 = Vector512.FusedMultiplyAdd(a1, b0v, c10);
            Vector512<float> b1v = Vector512.Create(b1[p]);
            c01 = Vector512.FusedMultiplyAdd(a0, b1v, c01);
            c11 = Vector512.FusedMultiplyAdd(a1, b1v, c11);
            Vector512<float> b2v = Vector512.Create(b2[p]);
            c02 = Vector512.FusedMultiplyAdd(a0, b2v, c02);
            c12 = Vector512.FusedMultiplyAdd(a1, b2v, c12);
            Vector512<float> b3v = Vector512.Create(b3[p]);
            c03 = Vector512.FusedMultiplyAdd(a0, b3v, c03);
            c13 = Vector512.FusedMultiplyAdd(a1, b3v, c13);
            Vector512<float> b4v = Vector512.Create(b4[p]);
            c04 = Vector512.FusedMultiplyAdd(a0, b4v, c04);
            c14 = Vector512.FusedMultiplyAdd(a1, b4v, c14);
            Vector512<float> b5v = Vector512.Create(b5[p]);
            c05 = Vector512.FusedMultiplyAdd(a0, b5v, c05);
            c15 = Vector512.FusedMultiplyAdd(a1, b5v, c15);
            Vector512<float> b6v = Vector512.Create(b6[p]);
            c06 = Vector512.FusedMultiplyAdd(a0, b6v, c06);
            c16 = Vector512.FusedMultiplyAdd(a1, b6v, c16);
            Vector512<float> b7v = Vector512.Create(b7[p]);
            c07 = Vector512.FusedMultiplyAdd(a0, b7v, c07);
            c17 = Vector512.FusedMultiplyAdd(a1, b7v, c17);
            a += aStep;
        }

        Column(c00, c10, c + (0 * ldc), store);
        Column(c01, c11, c + (1 * ldc), store);
        Column(c02, c12, c + (2 * ldc), store);
        Column(c03, c13, c + (3 * ldc), store);
        Column(c04, c14, c + (4 * ldc), store);
        Column(c05, c15, c + (5 * ldc), store);
        Column(c06, c16, c + (6 * ldc), store);
        Column(c07, c17, c + (7 * ldc), store);
    }

    /// <summary>Stores one column of the tile (two vectors) as <paramref name="store"/> says.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Column(Vector512<float> upper, Vector512<float> lower, float* to, in TileStore store)
    {
        Vector512<float> scale = Vector512.Create(store.Alpha);
        if (!store.Overwrite)
        {
            upper = Vector512.FusedMultiplyAdd(upper, scale, Vector512.Load(to));
            lower = Vector512.FusedMultiplyAdd(lower, scale, Vector512.Load(to + 16));
        }
        else if (store.Bias != null)
        {
            // One rounding, as when the bias was stored into C first and α·s then added to it.
            upper = Vector512.FusedMultiplyAdd(upper, scale, Vector512.Load(store.Bias));
            lower = Vector512.FusedMultiplyAdd(lower, scale, Vector512.Load(store.Bias + 16));
        }
        else
        {
            upper *= scale;
            lower *= scale;
        }

        if (store.Relu)
        {
            upper = Vector512.Max(upper, Vector512<float>.Zero);
            lower = Vector512.Max(lower, Vector512<float>.Zero);
        }

        Vector512.Store(upper, to);
        Vector512.Store(lower, to + 16);
    }
}
