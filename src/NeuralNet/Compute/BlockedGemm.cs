using NeuralNet.Compute.Kernels;

namespace NeuralNet.Compute;

/// <summary>
/// The cache-blocked float32 product <c>C ← α·op(A)·op(B) (+ C)</c> around a register-tiled micro-kernel
/// (the BLIS loop nest): for each block of columns and depth, B is packed once and each packed panel of A
/// is swept across it.
/// </summary>
/// <typeparam name="TKernel">The micro-kernel, which fixes the tile size <c>MR × NR</c>.</typeparam>
internal static unsafe class BlockedGemm<TKernel>
    where TKernel : struct, IMicroKernel
{
    /// <summary>
    /// Computes columns <c>[0, n)</c> of <c>C</c>; <paramref name="overwrite"/> means the old contents of C are
    /// ignored (β = 0) rather than added to. Shapes were validated by <see cref="Gemm"/>.
    /// </summary>
    public static void Run(
        bool transposeA, bool transposeB, int m, int n, int k, float alpha,
        float* a, nint lda, float* b, nint ldb, float* c, nint ldc, bool overwrite)
    {
        int mr = TKernel.Rows, nr = TKernel.Columns;
        int depthBlock = GemmBlocking.Balanced(k, GemmBlocking.MaxDepth);
        int widthBlock = GemmBlocking.Balanced(n, GemmBlocking.MaxWidth);
        int widthPadded = (widthBlock + nr - 1) / nr * nr;
        PackingBuffers buffers = PackingBuffers.Current;
        float* packedB = buffers.BlockB(depthBlock * widthPadded);
        float* packedA = buffers.PanelA(depthBlock * mr);
        float* edgeTile = stackalloc float[mr * nr];

        for (int jc = 0; jc < n; jc += widthBlock)
        {
            int nc = Math.Min(widthBlock, n - jc);
            for (int pc = 0; pc < k; pc += depthBlock)
            {
                int kc = Math.Min(depthBlock, k - pc);
                PackB(transposeB, b, ldb, pc, kc, jc, nc, nr, packedB);
                bool first = overwrite && pc == 0;
                for (int ir = 0; ir < m; ir += mr)
                {
                    int rows = Math.Min(mr, m - ir);
                    if (transposeA)
                    {
                        Packing.Strided(a + pc + (ir * lda), lda, kc, rows, mr, packedA);
                    }
                    else
                    {
                        Packing.Contiguous(a + ir + (pc * lda), lda, kc, rows, mr, packedA);
                    }

                    for (int jr = 0; jr < nc; jr += nr)
                    {
                        int columns = Math.Min(nr, nc - jr);
                        float* tile = c + ir + ((jc + jr) * ldc);
                        float* panelB = packedB + (jr * kc);
                        if (rows == mr && columns == nr)
                        {
                            TKernel.Run(kc, packedA, panelB, tile, ldc, alpha, first);
                        }
                        else
                        {
                            // Ragged edge: the kernel fills a full scratch tile with the raw sums from the zero-padded
                            // panels; α is applied on the store exactly as the kernel applies it (a product when
                            // overwriting, a fused multiply-add otherwise), so a value does not depend on whether its
                            // tile was ragged, and a product split across threads stays bit-identical for any α.
                            TKernel.Run(kc, packedA, panelB, edgeTile, mr, 1f, overwrite: true);
                            StoreEdge(edgeTile, mr, rows, columns, tile, ldc, alpha, first);
                        }
                    }
                }
            }
        }
    }

    private static void PackB(bool transposeB, float* b, nint ldb, int pc, int kc, int jc, int nc, int nr, float* packedB)
    {
        for (int jr = 0; jr < nc; jr += nr)
        {
            int columns = Math.Min(nr, nc - jr);
            float* panel = packedB + (jr * kc);
            if (transposeB)
            {
                Packing.Contiguous(b + jc + jr + (pc * ldb), ldb, kc, columns, nr, panel);
            }
            else
            {
                Packing.Strided(b + pc + ((jc + jr) * ldb), ldb, kc, columns, nr, panel);
            }
        }
    }

    private static void StoreEdge(float* edgeTile, int mr, int rows, int columns, float* tile, nint ldc, float alpha, bool overwrite)
    {
        for (int j = 0; j < columns; j++)
        {
            var from = new ReadOnlySpan<float>(edgeTile + (j * mr), rows);
            var to = new Span<float>(tile + (j * ldc), rows);
            if (overwrite)
            {
                System.Numerics.Tensors.TensorPrimitives.Multiply(from, alpha, to);
            }
            else
            {
                System.Numerics.Tensors.TensorPrimitives.FusedMultiplyAdd(from, alpha, to, to);
            }
        }
    }
}
