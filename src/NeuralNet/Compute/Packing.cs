using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NeuralNet.Compute;

/// <summary>
/// Copies a block of an operand into the layout a micro-kernel streams: for each step <c>p</c> of the shared
/// dimension, <c>width</c> consecutive floats (rows of op(A), or columns of op(B)), zero-padded past <c>valid</c>.
/// </summary>
/// <remarks>
/// Packing makes every kernel load contiguous and aligned to the panel, removes the transpose cases from the kernel,
/// and pads ragged edges with zeros so the kernel always computes full tiles.
/// </remarks>
internal static unsafe class Packing
{
    /// <summary>
    /// <c>pack[p·width + q] = source[q + p·ld]</c> for <c>q &lt; valid</c>, else 0: the packed values are already
    /// contiguous in the source (columns of A, or rows of a transposed B).
    /// </summary>
    public static void Contiguous(float* source, nint ld, int depth, int valid, int width, float* pack)
    {
        for (int p = 0; p < depth; p++)
        {
            float* to = pack + (p * width);
            new ReadOnlySpan<float>(source + (p * ld), valid).CopyTo(new Span<float>(to, valid));
            if (valid < width)
            {
                new Span<float>(to + valid, width - valid).Clear();
            }
        }
    }

    /// <summary>
    /// <c>pack[p·width + q] = source[p + q·ld]</c> for <c>q &lt; valid</c>, else 0: the packed values are strided in the
    /// source (rows of a transposed A, or columns of B), so 8 × 8 blocks are transposed in registers.
    /// </summary>
    public static void Strided(float* source, nint ld, int depth, int valid, int width, float* pack)
    {
        int q = 0;
        if (Avx.IsSupported)
        {
            for (; q + 8 <= valid; q += 8)
            {
                int p = 0;
                for (; p + 8 <= depth; p += 8)
                {
                    Transpose8x8(source + p + (q * ld), ld, pack + (p * width) + q, width);
                }

                for (; p < depth; p++)
                {
                    CopyStridedRow(source + p + (q * ld), ld, 8, pack + (p * width) + q);
                }
            }
        }

        if (q < valid)
        {
            for (int p = 0; p < depth; p++)
            {
                CopyStridedRow(source + p + (q * ld), ld, valid - q, pack + (p * width) + q);
            }
        }

        if (valid < width)
        {
            for (int p = 0; p < depth; p++)
            {
                new Span<float>(pack + (p * width) + valid, width - valid).Clear();
            }
        }
    }

    private static void CopyStridedRow(float* source, nint ld, int count, float* to)
    {
        for (int i = 0; i < count; i++)
        {
            to[i] = source[i * ld];
        }
    }

    /// <summary>Reads 8 vectors <c>source[0..8) + r·ld</c> and writes their transpose as 8 vectors at <c>to + r·toStride</c>.</summary>
    private static void Transpose8x8(float* source, nint ld, float* to, int toStride)
    {
        Vector256<float> r0 = Avx.LoadVector256(source);
        Vector256<float> r1 = Avx.LoadVector256(source + ld);
        Vector256<float> r2 = Avx.LoadVector256(source + (2 * ld));
        Vector256<float> r3 = Avx.LoadVector256(source + (3 * ld));
        Vector256<float> r4 = Avx.LoadVector256(source + (4 * ld));
        Vector256<float> r5 = Avx.LoadVector256(source + (5 * ld));
        Vector256<float> r6 = Avx.LoadVector256(source + (6 * ld));
        Vector256<float> r7 = Avx.LoadVector256(source + (7 * ld));

        // Interleave pairs of rows, then pairs of pairs, then swap 128-bit halves: three shuffle stages.
        Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1);
        Vector256<float> t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
        Vector256<float> t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5);
        Vector256<float> t6 = Avx.UnpackLow(r6, r7), t7 = Avx.UnpackHigh(r6, r7);
        Vector256<float> s0 = Avx.Shuffle(t0, t2, 0x44), s1 = Avx.Shuffle(t0, t2, 0xEE);
        Vector256<float> s2 = Avx.Shuffle(t1, t3, 0x44), s3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> s4 = Avx.Shuffle(t4, t6, 0x44), s5 = Avx.Shuffle(t4, t6, 0xEE);
        Vector256<float> s6 = Avx.Shuffle(t5, t7, 0x44), s7 = Avx.Shuffle(t5, t7, 0xEE);
        Avx.Store(to, Avx.Permute2x128(s0, s4, 0x20));
        Avx.Store(to + toStride, Avx.Permute2x128(s1, s5, 0x20));
        Avx.Store(to + (2 * toStride), Avx.Permute2x128(s2, s6, 0x20));
        Avx.Store(to + (3 * toStride), Avx.Permute2x128(s3, s7, 0x20));
        Avx.Store(to + (4 * toStride), Avx.Permute2x128(s0, s4, 0x31));
        Avx.Store(to + (5 * toStride), Avx.Permute2x128(s1, s5, 0x31));
        Avx.Store(to + (6 * toStride), Avx.Permute2x128(s2, s6, 0x31));
        Avx.Store(to + (7 * toStride), Avx.Permute2x128(s3, s7, 0x31));
    }
}
