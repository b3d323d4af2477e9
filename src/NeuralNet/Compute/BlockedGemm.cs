using System.Numerics.Tensors;
using NeuralNet.Compute.Kernels;

namespace NeuralNet.Compute;

/// <summary>
/// The cache-blocked float32 product <c>C ← act(α·op(A)·op(B) + bias)</c> (or <c>+ C</c>) around a register-tiled
/// micro-kernel (the BLIS loop nest): for each depth block and block of A's rows, A is packed once if transposed; for
/// each block of columns, B is packed once if transposed; each panel of A is swept across the block of B. An operand
/// that is not transposed is read in place by the kernel (its columns are contiguous), and only its ragged last panel is
/// packed: the weights of a layer's forward product and its input are never copied.
/// </summary>
/// <typeparam name="TKernel">The micro-kernel, which fixes the tile size <c>MR × NR</c>.</typeparam>
internal static unsafe class BlockedGemm<TKernel>
    where TKernel : struct, IMicroKernel
{
    /// <summary>
    /// Computes rows <c>[0, m)</c> and columns <c>[0, n)</c> of <c>C</c>. <paramref name="overwrite"/> means the old
    /// contents of C are ignored (β = 0) and the <paramref name="bias"/> of each row (null for none) is added to the
    /// full sum; <paramref name="relu"/> applies <c>max(·, 0)</c> to the result. Shapes were validated by <see cref="Gemm"/>.
    /// </summary>
    public static void Run(
        bool transposeA, bool transposeB, int m, int n, int k, float alpha,
        float* a, nint lda, float* b, nint ldb, float* c, nint ldc, bool overwrite, float* bias, bool relu)
    {
        int mr = TKernel.Rows, nr = TKernel.Columns;
        int depthBlock = GemmBlocking.Balanced(k, GemmBlocking.MaxDepth);
        int heightBlock = GemmBlocking.Tiled(m, depthBlock, GemmBlocking.BlockAFloats, mr);
        int widthBlock = GemmBlocking.Tiled(n, depthBlock, GemmBlocking.BlockBFloats, nr);
        int heightPadded = (heightBlock + mr - 1) / mr * mr;
        int widthPadded = (widthBlock + nr - 1) / nr * nr;
        PackingBuffers buffers = PackingBuffers.Current;
        float* packedB = buffers.BlockB(depthBlock * widthPadded);
        // A read in place needs room for its ragged last panel only.
        float* packedA = buffers.BlockA(depthBlock * (transposeA ? heightPadded : mr));
        float* edgeTile = stackalloc float[mr * nr];

        for (int pc = 0; pc < k; pc += depthBlock)
        {
            int kc = Math.Min(depthBlock, k - pc);

            // The bias joins the first depth block's sums (as if C had been set to it), the activation the last's.
            bool first = overwrite && pc == 0;
            bool last = pc + kc == k;
            for (int ic = 0; ic < m; ic += heightBlock)
            {
                int mc = Math.Min(heightBlock, m - ic);
                // A not transposed is read in place (each column of a panel is contiguous); only a ragged last panel
                // is packed, zero-padded. A transposed is packed whole.
                int firstPackedRow = transposeA ? 0 : mc - (mc % mr);
                PackA(transposeA, a, lda, pc, kc, ic + firstPackedRow, mc - firstPackedRow, mr, packedA);
                for (int jc = 0; jc < n; jc += widthBlock)
                {
                    int nc = Math.Min(widthBlock, n - jc);

                    // A column-major B is read in place by the kernel (its columns are the tile's columns); only a
                    // ragged last panel is packed, zero-padded. A transposed B is packed whole.
                    int ragged = nc % nr;
                    int firstPacked = transposeB ? 0 : nc - ragged;
                    PackB(transposeB, b, ldb, pc, kc, jc + firstPacked, nc - firstPacked, nr, packedB);
                    for (int ir = 0; ir < mc; ir += mr)
                    {
                        int rows = Math.Min(mr, mc - ir);
                        bool inPlaceA = ir < firstPackedRow;
                        float* panelA = inPlaceA ? a + ic + ir + (pc * lda) : packedA + ((ir - firstPackedRow) * kc);
                        nint aStep = inPlaceA ? lda : mr;
                        float* rowBias = first && bias != null ? bias + ic + ir : null;
                        var store = new TileStore(alpha, first, rowBias, relu && last);
                        var raw = new TileStore(1f, overwrite: true, bias: null, relu: false);
                        for (int jr = 0; jr < nc; jr += nr)
                        {
                            int columns = Math.Min(nr, nc - jr);
                            float* tile = c + ic + ir + ((jc + jr) * ldc);
                            bool inPlace = jr < firstPacked;
                            float* panelB = inPlace ? b + pc + ((jc + jr) * ldb) : packedB + ((jr - firstPacked) * kc);
                            float* target = rows == mr && columns == nr ? tile : edgeTile;
                            nint targetLd = rows == mr && columns == nr ? ldc : mr;

                            // Ragged edge: the kernel fills a full scratch tile with the raw sums from the zero-padded
                            // panels; the store then does what the kernel does (a product, or a fused multiply-add with
                            // the bias or C, then the ReLU), so a value does not depend on whether its tile was ragged,
                            // and a product split across threads stays bit-identical.
                            if (inPlace)
                            {
                                TKernel.RunUnpacked(kc, panelA, aStep, panelB, ldb, target, targetLd, target == tile ? store : raw);
                            }
                            else
                            {
                                TKernel.Run(kc, panelA, aStep, panelB, target, targetLd, target == tile ? store : raw);
                            }

                            if (target == edgeTile)
                            {
                                StoreEdge(edgeTile, mr, rows, columns, tile, ldc, store);
                            }
                        }
                    }
                }
            }
        }
    }

    private static void PackA(bool transposeA, float* a, nint lda, int pc, int kc, int ic, int mc, int mr, float* packedA)
    {
        for (int ir = 0; ir < mc; ir += mr)
        {
            int rows = Math.Min(mr, mc - ir);
            float* panel = packedA + (ir * kc);
            if (transposeA)
            {
                Packing.Strided(a + pc + ((ic + ir) * lda), lda, kc, rows, mr, panel);
            }
            else
            {
                Packing.Contiguous(a + ic + ir + (pc * lda), lda, kc, rows, mr, panel);
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

    private static void StoreEdge(float* edgeTile, int mr, int rows, int columns, float* tile, nint ldc, in TileStore store)
    {
        for (int j = 0; j < columns; j++)
        {
            var from = new ReadOnlySpan<float>(edgeTile + (j * mr), rows);
            var to = new Span<float>(tile + (j * ldc), rows);
            if (!store.Overwrite)
            {
                TensorPrimitives.FusedMultiplyAdd(from, store.Alpha, to, to);
            }
            else if (store.Bias != null)
            {
                TensorPrimitives.FusedMultiplyAdd(from, store.Alpha, new ReadOnlySpan<float>(store.Bias, rows), to);
            }
            else
            {
                TensorPrimitives.Multiply(from, store.Alpha, to);
            }

            if (store.Relu)
            {
                TensorPrimitives.Max(to, 0f, to);
            }
        }
    }
}
