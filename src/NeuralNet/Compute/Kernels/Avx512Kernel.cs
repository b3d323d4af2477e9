using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NeuralNet.Compute.Kernels;

/// <summary>The AVX-512 micro-kernel: a 32 × 8 tile of C in sixteen 512-bit accumulators.</summary>
/// <remarks>
/// Per step of <c>p</c>: 2 loads of packed A, 8 broadcasts of packed B and 16 fused multiply-adds into
/// 16 accumulators that stay in registers (32 registers on AVX-512). Spelled out in full because the JIT keeps only
/// separate locals in registers.
/// </remarks>
internal readonly struct Avx512Kernel : IMicroKernel
{
    /// <inheritdoc />
    public static int Rows => 32;

    /// <inheritdoc />
    public static int Columns => 8;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void Run(int kc, float* a, float* b, float* c, nint ldc, float alpha, bool overwrite)
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
            Vector512<float> b0 = Vector512.Create(b[0]);
            c00 = Vector512.FusedMultiplyAdd(a0, b0, c00);
            c10 = Vector512.FusedMultiplyAdd(a1, b0, c10);
            Vector512<float> b1 = Vector512.Create(b[1]);
            c01 = Vector512.FusedMultiplyAdd(a0, b1, c01);
            c11 = Vector512.FusedMultiplyAdd(a1, b1, c11);
            Vector512<float> b2 = Vector512.Create(b[2]);
            c02 = Vector512.FusedMultiplyAdd(a0, b2, c02);
            c12 = Vector512.FusedMultiplyAdd(a1, b2, c12);
            Vector512<float> b3 = Vector512.Create(b[3]);
            c03 = Vector512.FusedMultiplyAdd(a0, b3, c03);
            c13 = Vector512.FusedMultiplyAdd(a1, b3, c13);
            Vector512<float> b4 = Vector512.Create(b[4]);
            c04 = Vector512.FusedMultiplyAdd(a0, b4, c04);
            c14 = Vector512.FusedMultiplyAdd(a1, b4, c14);
            Vector512<float> b5 = Vector512.Create(b[5]);
            c05 = Vector512.FusedMultiplyAdd(a0, b5, c05);
            c15 = Vector512.FusedMultiplyAdd(a1, b5, c15);
            Vector512<float> b6 = Vector512.Create(b[6]);
            c06 = Vector512.FusedMultiplyAdd(a0, b6, c06);
            c16 = Vector512.FusedMultiplyAdd(a1, b6, c16);
            Vector512<float> b7 = Vector512.Create(b[7]);
            c07 = Vector512.FusedMultiplyAdd(a0, b7, c07);
            c17 = Vector512.FusedMultiplyAdd(a1, b7, c17);
            a += 32;
            b += 8;
        }

        Vector512<float> scale = Vector512.Create(alpha);
        if (overwrite)
        {
            Vector512.Store(c00 * scale, c + 0 + (0 * ldc));
            Vector512.Store(c10 * scale, c + 16 + (0 * ldc));
            Vector512.Store(c01 * scale, c + 0 + (1 * ldc));
            Vector512.Store(c11 * scale, c + 16 + (1 * ldc));
            Vector512.Store(c02 * scale, c + 0 + (2 * ldc));
            Vector512.Store(c12 * scale, c + 16 + (2 * ldc));
            Vector512.Store(c03 * scale, c + 0 + (3 * ldc));
            Vector512.Store(c13 * scale, c + 16 + (3 * ldc));
            Vector512.Store(c04 * scale, c + 0 + (4 * ldc));
            Vector512.Store(c14 * scale, c + 16 + (4 * ldc));
            Vector512.Store(c05 * scale, c + 0 + (5 * ldc));
            Vector512.Store(c15 * scale, c + 16 + (5 * ldc));
            Vector512.Store(c06 * scale, c + 0 + (6 * ldc));
            Vector512.Store(c16 * scale, c + 16 + (6 * ldc));
            Vector512.Store(c07 * scale, c + 0 + (7 * ldc));
            Vector512.Store(c17 * scale, c + 16 + (7 * ldc));
            return;
        }

        Vector512.Store(Vector512.FusedMultiplyAdd(c00, scale, Vector512.Load(c + 0 + (0 * ldc))), c + 0 + (0 * ldc));
        Vector512.Store(Vector512.FusedMultiplyAdd(c10, scale, Vector512.Load(c + 16 + (0 * ldc))), c + 16 + (0 * ldc));
        Vector512.Store(Vector512.FusedMultiplyAdd(c01, scale, Vector512.Load(c + 0 + (1 * ldc))), c + 0 + (1 * ldc));
        Vector512.Store(Vector512.FusedMultiplyAdd(c11, scale, Vector512.Load(c + 16 + (1 * ldc))), c + 16 + (1 * ldc));
        Vector512.Store(Vector512.FusedMultiplyAdd(c02, scale, Vector512.Load(c + 0 + (2 * ldc))), c + 0 + (2 * ldc));
        Vector512.Store(Vector512.FusedMultiplyAdd(c12, scale, Vector512.Load(c + 16 + (2 * ldc))), c + 16 + (2 * ldc));
        Vector512.Store(Vector512.FusedMultiplyAdd(c03, scale, Vector512.Load(c + 0 + (3 * ldc))), c + 0 + (3 * ldc));
        Vector512.Store(Vector512.FusedMultiplyAdd(c13, scale, Vector512.Load(c + 16 + (3 * ldc))), c + 16 + (3 * ldc));
        Vector512.Store(Vector512.FusedMultiplyAdd(c04, scale, Vector512.Load(c + 0 + (4 * ldc))), c + 0 + (4 * ldc));
        Vector512.Store(Vector512.FusedMultiplyAdd(c14, scale, Vector512.Load(c + 16 + (4 * ldc))), c + 16 + (4 * ldc));
        Vector512.Store(Vector512.FusedMultiplyAdd(c05, scale, Vector512.Load(c + 0 + (5 * ldc))), c + 0 + (5 * ldc));
        Vector512.Store(Vector512.FusedMultiplyAdd(c15, scale, Vector512.Load(c + 16 + (5 * ldc))), c + 16 + (5 * ldc));
        Vector512.Store(Vector512.FusedMultiplyAdd(c06, scale, Vector512.Load(c + 0 + (6 * ldc))), c + 0 + (6 * ldc));
        Vector512.Store(Vector512.FusedMultiplyAdd(c16, scale, Vector512.Load(c + 16 + (6 * ldc))), c + 16 + (6 * ldc));
        Vector512.Store(Vector512.FusedMultiplyAdd(c07, scale, Vector512.Load(c + 0 + (7 * ldc))), c + 0 + (7 * ldc));
        Vector512.Store(Vector512.FusedMultiplyAdd(c17, scale, Vector512.Load(c + 16 + (7 * ldc))), c + 16 + (7 * ldc));
    }
}
