using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NeuralNet.Compute.Kernels;

/// <summary>The AVX2 + FMA micro-kernel: a 16 × 6 tile of C in twelve 256-bit accumulators.</summary>
/// <remarks>
/// Per step of <c>p</c>: 2 loads of A, 6 broadcasts of B and 12 fused multiply-adds into
/// 12 accumulators that stay in registers (of the 16 registers of AVX2). Spelled out in full because the JIT keeps only
/// separate locals in registers. A is read packed or in place (a column of A is contiguous: only the step between
/// columns differs); B is read packed (<see cref="Run"/>) or in place, column by column (<see cref="RunUnpacked"/>).
/// Every form does the same multiply-adds in the same order, so all give the same bits.
/// </remarks>
internal readonly struct Avx2Kernel : IMicroKernel
{
    /// <inheritdoc />
    public static int Rows => 16;

    /// <inheritdoc />
    public static int Columns => 6;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void Run(int kc, float* a, nint aStep, float* b, float* c, nint ldc, in TileStore store)
    {
        Vector256<float> c00 = Vector256<float>.Zero;
        Vector256<float> c10 = Vector256<float>.Zero;
        Vector256<float> c01 = Vector256<float>.Zero;
        Vector256<float> c11 = Vector256<float>.Zero;
        Vector256<float> c02 = Vector256<float>.Zero;
        Vector256<float> c12 = Vector256<float>.Zero;
        Vector256<float> c03 = Vector256<float>.Zero;
        Vector256<float> c13 = Vector256<float>.Zero;
        Vector256<float> c04 = Vector256<float>.Zero;
        Vector256<float> c14 = Vector256<float>.Zero;
        Vector256<float> c05 = Vector256<float>.Zero;
        Vector256<float> c15 = Vector256<float>.Zero;
        for (int p = 0; p < kc; p++)
        {
            Vector256<float> a0 = Vector256.Load(a + 0);
            Vector256<float> a1 = Vector256.Load(a + 8);
            Vector256<float> b0v = Vector256.Create(b[0]);
            c00 = Vector256.FusedMultiplyAdd(a0, b0v, c00);
            c10 = Vector256.FusedMultiplyAdd(a1, b0v, c10);
            Vector256<float> b1v = Vector256.Create(b[1]);
            c01 = Vector256.FusedMultiplyAdd(a0, b1v, c01);
            c11 = Vector256.FusedMultiplyAdd(a1, b1v, c11);
            Vector256<float> b2v = Vector256.Create(b[2]);
            c02 = Vector256.FusedMultiplyAdd(a0, b2v, c02);
            c12 = Vector256.FusedMultiplyAdd(a1, b2v, c12);
            Vector256<float> b3v = Vector256.Create(b[3]);
            c03 = Vector256.FusedMultiplyAdd(a0, b3v, c03);
            c13 = Vector256.FusedMultiplyAdd(a1, b3v, c13);
            Vector256<float> b4v = Vector256.Create(b[4]);
            c04 = Vector256.FusedMultiplyAdd(a0, b4v, c04);
            c14 = Vector256.FusedMultiplyAdd(a1, b4v, c14);
            Vector256<float> b5v = Vector256.Create(b[5]);
            c05 = Vector256.FusedMultiplyAdd(a0, b5v, c05);
            c15 = Vector256.FusedMultiplyAdd(a1, b5v, c15);
            a += aStep;
            b += 6;
        }

        Column(c00, c10, c + (0 * ldc), store);
        Column(c01, c11, c + (1 * ldc), store);
        Column(c02, c12, c + (2 * ldc), store);
        Column(c03, c13, c + (3 * ldc), store);
        Column(c04, c14, c + (4 * ldc), store);
        Column(c05, c15, c + (5 * ldc), store);
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void RunUnpacked(int kc, float* a, nint aStep, float* b, nint ldb, float* c, nint ldc, in TileStore store)
    {
        Vector256<float> c00 = Vector256<float>.Zero;
        Vector256<float> c10 = Vector256<float>.Zero;
        Vector256<float> c01 = Vector256<float>.Zero;
        Vector256<float> c11 = Vector256<float>.Zero;
        Vector256<float> c02 = Vector256<float>.Zero;
        Vector256<float> c12 = Vector256<float>.Zero;
        Vector256<float> c03 = Vector256<float>.Zero;
        Vector256<float> c13 = Vector256<float>.Zero;
        Vector256<float> c04 = Vector256<float>.Zero;
        Vector256<float> c14 = Vector256<float>.Zero;
        Vector256<float> c05 = Vector256<float>.Zero;
        Vector256<float> c15 = Vector256<float>.Zero;
        float* b0 = b + (0 * ldb);
        float* b1 = b + (1 * ldb);
        float* b2 = b + (2 * ldb);
        float* b3 = b + (3 * ldb);
        float* b4 = b + (4 * ldb);
        float* b5 = b + (5 * ldb);
        for (int p = 0; p < kc; p++)
        {
            Vector256<float> a0 = Vector256.Load(a + 0);
            Vector256<float> a1 = Vector256.Load(a + 8);
            Vector256<float> b0v = Vector256.Create(b0[p]);
            c00 = Vector256.FusedMultiplyAdd(a0, b0v, c00);
            c10 = Vector256.FusedMultiplyAdd(a1, b0v, c10);
            Vector256<float> b1v = Vector256.Create(b1[p]);
            c01 = Vector256.FusedMultiplyAdd(a0, b1v, c01);
            c11 = Vector256.FusedMultiplyAdd(a1, b1v, c11);
            Vector256<float> b2v = Vector256.Create(b2[p]);
            c02 = Vector256.FusedMultiplyAdd(a0, b2v, c02);
            c12 = Vector256.FusedMultiplyAdd(a1, b2v, c12);
            Vector256<float> b3v = Vector256.Create(b3[p]);
            c03 = Vector256.FusedMultiplyAdd(a0, b3v, c03);
            c13 = Vector256.FusedMultiplyAdd(a1, b3v, c13);
            Vector256<float> b4v = Vector256.Create(b4[p]);
            c04 = Vector256.FusedMultiplyAdd(a0, b4v, c04);
            c14 = Vector256.FusedMultiplyAdd(a1, b4v, c14);
            Vector256<float> b5v = Vector256.Create(b5[p]);
            c05 = Vector256.FusedMultiplyAdd(a0, b5v, c05);
            c15 = Vector256.FusedMultiplyAdd(a1, b5v, c15);
            a += aStep;
        }

        Column(c00, c10, c + (0 * ldc), store);
        Column(c01, c11, c + (1 * ldc), store);
        Column(c02, c12, c + (2 * ldc), store);
        Column(c03, c13, c + (3 * ldc), store);
        Column(c04, c14, c + (4 * ldc), store);
        Column(c05, c15, c + (5 * ldc), store);
    }

    /// <summary>Stores one column of the tile (two vectors) as <paramref name="store"/> says.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Column(Vector256<float> upper, Vector256<float> lower, float* to, in TileStore store)
    {
        Vector256<float> scale = Vector256.Create(store.Alpha);
        if (!store.Overwrite)
        {
            upper = Vector256.FusedMultiplyAdd(upper, scale, Vector256.Load(to));
            lower = Vector256.FusedMultiplyAdd(lower, scale, Vector256.Load(to + 8));
        }
        else if (store.Bias != null)
        {
            // One rounding, as when the bias was stored into C first and α·s then added to it.
            upper = Vector256.FusedMultiplyAdd(upper, scale, Vector256.Load(store.Bias));
            lower = Vector256.FusedMultiplyAdd(lower, scale, Vector256.Load(store.Bias + 8));
        }
        else
        {
            upper *= scale;
            lower *= scale;
        }

        if (store.Relu)
        {
            upper = Vector256.Max(upper, Vector256<float>.Zero);
            lower = Vector256.Max(lower, Vector256<float>.Zero);
        }

        Vector256.Store(upper, to);
        Vector256.Store(lower, to + 8);
    }
}
