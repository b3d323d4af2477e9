using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NeuralNet.Compute.Kernels;

/// <summary>The AVX2 + FMA micro-kernel: a 16 × 6 tile of C in twelve 256-bit accumulators.</summary>
/// <remarks>
/// Per step of <c>p</c>: 2 loads of packed A, 6 broadcasts of packed B and 12 fused multiply-adds into
/// 12 accumulators that stay in registers (16 registers on AVX2). Spelled out in full because the JIT keeps only
/// separate locals in registers.
/// </remarks>
internal readonly struct Avx2Kernel : IMicroKernel
{
    /// <inheritdoc />
    public static int Rows => 16;

    /// <inheritdoc />
    public static int Columns => 6;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void Run(int kc, float* a, float* b, float* c, nint ldc, float alpha, bool overwrite)
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
            Vector256<float> b0 = Vector256.Create(b[0]);
            c00 = Vector256.FusedMultiplyAdd(a0, b0, c00);
            c10 = Vector256.FusedMultiplyAdd(a1, b0, c10);
            Vector256<float> b1 = Vector256.Create(b[1]);
            c01 = Vector256.FusedMultiplyAdd(a0, b1, c01);
            c11 = Vector256.FusedMultiplyAdd(a1, b1, c11);
            Vector256<float> b2 = Vector256.Create(b[2]);
            c02 = Vector256.FusedMultiplyAdd(a0, b2, c02);
            c12 = Vector256.FusedMultiplyAdd(a1, b2, c12);
            Vector256<float> b3 = Vector256.Create(b[3]);
            c03 = Vector256.FusedMultiplyAdd(a0, b3, c03);
            c13 = Vector256.FusedMultiplyAdd(a1, b3, c13);
            Vector256<float> b4 = Vector256.Create(b[4]);
            c04 = Vector256.FusedMultiplyAdd(a0, b4, c04);
            c14 = Vector256.FusedMultiplyAdd(a1, b4, c14);
            Vector256<float> b5 = Vector256.Create(b[5]);
            c05 = Vector256.FusedMultiplyAdd(a0, b5, c05);
            c15 = Vector256.FusedMultiplyAdd(a1, b5, c15);
            a += 16;
            b += 6;
        }

        Vector256<float> scale = Vector256.Create(alpha);
        if (overwrite)
        {
            Vector256.Store(c00 * scale, c + 0 + (0 * ldc));
            Vector256.Store(c10 * scale, c + 8 + (0 * ldc));
            Vector256.Store(c01 * scale, c + 0 + (1 * ldc));
            Vector256.Store(c11 * scale, c + 8 + (1 * ldc));
            Vector256.Store(c02 * scale, c + 0 + (2 * ldc));
            Vector256.Store(c12 * scale, c + 8 + (2 * ldc));
            Vector256.Store(c03 * scale, c + 0 + (3 * ldc));
            Vector256.Store(c13 * scale, c + 8 + (3 * ldc));
            Vector256.Store(c04 * scale, c + 0 + (4 * ldc));
            Vector256.Store(c14 * scale, c + 8 + (4 * ldc));
            Vector256.Store(c05 * scale, c + 0 + (5 * ldc));
            Vector256.Store(c15 * scale, c + 8 + (5 * ldc));
            return;
        }

        Vector256.Store(Vector256.FusedMultiplyAdd(c00, scale, Vector256.Load(c + 0 + (0 * ldc))), c + 0 + (0 * ldc));
        Vector256.Store(Vector256.FusedMultiplyAdd(c10, scale, Vector256.Load(c + 8 + (0 * ldc))), c + 8 + (0 * ldc));
        Vector256.Store(Vector256.FusedMultiplyAdd(c01, scale, Vector256.Load(c + 0 + (1 * ldc))), c + 0 + (1 * ldc));
        Vector256.Store(Vector256.FusedMultiplyAdd(c11, scale, Vector256.Load(c + 8 + (1 * ldc))), c + 8 + (1 * ldc));
        Vector256.Store(Vector256.FusedMultiplyAdd(c02, scale, Vector256.Load(c + 0 + (2 * ldc))), c + 0 + (2 * ldc));
        Vector256.Store(Vector256.FusedMultiplyAdd(c12, scale, Vector256.Load(c + 8 + (2 * ldc))), c + 8 + (2 * ldc));
        Vector256.Store(Vector256.FusedMultiplyAdd(c03, scale, Vector256.Load(c + 0 + (3 * ldc))), c + 0 + (3 * ldc));
        Vector256.Store(Vector256.FusedMultiplyAdd(c13, scale, Vector256.Load(c + 8 + (3 * ldc))), c + 8 + (3 * ldc));
        Vector256.Store(Vector256.FusedMultiplyAdd(c04, scale, Vector256.Load(c + 0 + (4 * ldc))), c + 0 + (4 * ldc));
        Vector256.Store(Vector256.FusedMultiplyAdd(c14, scale, Vector256.Load(c + 8 + (4 * ldc))), c + 8 + (4 * ldc));
        Vector256.Store(Vector256.FusedMultiplyAdd(c05, scale, Vector256.Load(c + 0 + (5 * ldc))), c + 0 + (5 * ldc));
        Vector256.Store(Vector256.FusedMultiplyAdd(c15, scale, Vector256.Load(c + 8 + (5 * ldc))), c + 8 + (5 * ldc));
    }
}
