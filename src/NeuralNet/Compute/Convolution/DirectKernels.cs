using System.Runtime.Intrinsics;

namespace NeuralNet.Compute.Convolution;

/// <summary>
/// Direct float32 convolution kernels on a tap-major column buffer (tap <c>k</c>'s positions contiguous, leading
/// dimension <c>ld</c>), writing output planes in place: the outputs <c>Y = W·cols</c> (also <c>∂cols = Wᵀ·∂Y</c>, the
/// same product with <c>∂Y</c>'s channel planes as the columns) with several output channels' accumulators in registers,
/// so each loaded vector of positions serves four or eight of them; and the weight gradient <c>∂W = ∂Y·colsᵀ</c> as
/// dot products over positions, for few taps per output (a first layer's 9), where im2col + GEMM is bound by memory.
/// </summary>
/// <remarks>
/// Output channels are taken four (eight on 512-bit vectors) at a time; a last partial tile repeats the last channel
/// (computing the same values again) instead of needing a narrower kernel. Every output element is computed by the same
/// operations wherever it sits in a vector, so a position computed twice (the overlapping last vector) gets the same bits.
/// </remarks>
internal static unsafe class DirectKernels
{
    /// <summary>Whether the direct kernels can run on <paramref name="path"/> for a plane of <paramref name="positions"/> (at least one vector).</summary>
    public static bool Supports(GemmPath path, int positions) => path switch
    {
        GemmPath.Vector512 => positions >= Vector512<float>.Count,
        GemmPath.Vector256 => positions >= Vector256<float>.Count,
        _ => false,
    };

    /// <summary>
    /// <c>y[o·P + p] = bias[o] + Σ_k w[o·K + k]·cols[offsets[k] + p]</c> for <c>o &lt; outputs</c>, <c>p &lt; P</c> (bias 0
    /// when null): tap <c>k</c>'s run of positions starts at <c>offsets[k]</c> (<c>k·ld</c> for an im2col buffer, the
    /// tap's shift in a padded image for the implicit form). With <paramref name="relu"/>, stores <c>max(·, 0)</c> of
    /// each value instead, bit for bit what <c>TensorPrimitives.Max(y, 0, y)</c> afterwards gives.
    /// </summary>
    public static void Forward(GemmPath path, float* cols, int* offsets, float* w, int taps, int outputs, float* bias, float* y, int positions, bool relu = false)
    {
        if (path == GemmPath.Vector512)
        {
            // 32 registers: eight output channels at a time (16 accumulators) where there are that many.
            int eights = outputs >= 8 ? outputs / 8 * 8 : 0;
            if (eights > 0)
            {
                ForwardEight<Lanes512, Vector512<float>>(cols, offsets, w, taps, eights, bias, y, positions, relu);
            }

            if (eights < outputs)
            {
                Forward<Lanes512, Vector512<float>>(
                    cols, offsets, w + ((nint)eights * taps), taps, outputs - eights, bias == null ? null : bias + eights, y + ((nint)eights * positions), positions, relu);
            }
        }
        else
        {
            Forward<Lanes256, Vector256<float>>(cols, offsets, w, taps, outputs, bias, y, positions, relu);
        }
    }

    /// <summary>
    /// <c>dw[o·K + k] = Σ_s Σ_p dy[s·dyStride + o·P + p]·cols[s·colStride + offsets[k] + p]</c> over
    /// <paramref name="samples"/> samples; overwrites <paramref name="dw"/>.
    /// </summary>
    public static void WeightGradient(
        GemmPath path, float* cols, int* offsets, nint colStride, float* dy, nint dyStride, int samples, int positions, int taps, int outputs, float* dw)
    {
        if (path == GemmPath.Vector512)
        {
            WeightGradient<Lanes512, Vector512<float>>(cols, offsets, colStride, dy, dyStride, samples, positions, taps, outputs, dw);
        }
        else
        {
            WeightGradient<Lanes256, Vector256<float>>(cols, offsets, colStride, dy, dyStride, samples, positions, taps, outputs, dw);
        }
    }

    private static void Forward<TLanes, TVector>(float* cols, int* offsets, float* w, int taps, int outputs, float* bias, float* y, int positions, bool relu)
        where TLanes : struct, ILanes<TVector>
        where TVector : struct
    {
        int lanes = TLanes.Count;
        for (int o = 0; o < outputs; o += 4)
        {
            int o1 = Math.Min(o + 1, outputs - 1), o2 = Math.Min(o + 2, outputs - 1), o3 = Math.Min(o + 3, outputs - 1);
            float* w0 = w + ((nint)o * taps), w1 = w + ((nint)o1 * taps), w2 = w + ((nint)o2 * taps), w3 = w + ((nint)o3 * taps);
            float* y0 = y + ((nint)o * positions), y1 = y + ((nint)o1 * positions), y2 = y + ((nint)o2 * positions), y3 = y + ((nint)o3 * positions);
            TVector b0 = TLanes.Broadcast(bias == null ? 0f : bias[o]), b1 = TLanes.Broadcast(bias == null ? 0f : bias[o1]);
            TVector b2 = TLanes.Broadcast(bias == null ? 0f : bias[o2]), b3 = TLanes.Broadcast(bias == null ? 0f : bias[o3]);
            int p = 0;
            for (; p + (2 * lanes) <= positions; p += 2 * lanes)
            {
                TVector a0 = b0, a1 = b1, a2 = b2, a3 = b3, c0 = b0, c1 = b1, c2 = b2, c3 = b3;
                float* start = cols + p;
                for (int k = 0; k < taps; k++)
                {
                    float* column = start + offsets[k];
                    TVector x0 = TLanes.Load(column), x1 = TLanes.Load(column + lanes);
                    TVector v = TLanes.Broadcast(w0[k]);
                    a0 = TLanes.MultiplyAdd(x0, v, a0);
                    c0 = TLanes.MultiplyAdd(x1, v, c0);
                    v = TLanes.Broadcast(w1[k]);
                    a1 = TLanes.MultiplyAdd(x0, v, a1);
                    c1 = TLanes.MultiplyAdd(x1, v, c1);
                    v = TLanes.Broadcast(w2[k]);
                    a2 = TLanes.MultiplyAdd(x0, v, a2);
                    c2 = TLanes.MultiplyAdd(x1, v, c2);
                    v = TLanes.Broadcast(w3[k]);
                    a3 = TLanes.MultiplyAdd(x0, v, a3);
                    c3 = TLanes.MultiplyAdd(x1, v, c3);
                }

                if (relu)
                {
                    (a0, a1, a2, a3) = (TLanes.Relu(a0), TLanes.Relu(a1), TLanes.Relu(a2), TLanes.Relu(a3));
                    (c0, c1, c2, c3) = (TLanes.Relu(c0), TLanes.Relu(c1), TLanes.Relu(c2), TLanes.Relu(c3));
                }

                TLanes.Store(y0 + p, a0);
                TLanes.Store(y0 + p + lanes, c0);
                TLanes.Store(y1 + p, a1);
                TLanes.Store(y1 + p + lanes, c1);
                TLanes.Store(y2 + p, a2);
                TLanes.Store(y2 + p + lanes, c2);
                TLanes.Store(y3 + p, a3);
                TLanes.Store(y3 + p + lanes, c3);
            }

            // Single vectors, the last one overlapping the previous positions (P ≥ one vector).
            while (p < positions)
            {
                int start = Math.Min(p, positions - lanes);
                TVector a0 = b0, a1 = b1, a2 = b2, a3 = b3;
                float* first = cols + start;
                for (int k = 0; k < taps; k++)
                {
                    TVector x0 = TLanes.Load(first + offsets[k]);
                    a0 = TLanes.MultiplyAdd(x0, TLanes.Broadcast(w0[k]), a0);
                    a1 = TLanes.MultiplyAdd(x0, TLanes.Broadcast(w1[k]), a1);
                    a2 = TLanes.MultiplyAdd(x0, TLanes.Broadcast(w2[k]), a2);
                    a3 = TLanes.MultiplyAdd(x0, TLanes.Broadcast(w3[k]), a3);
                }

                if (relu)
                {
                    (a0, a1, a2, a3) = (TLanes.Relu(a0), TLanes.Relu(a1), TLanes.Relu(a2), TLanes.Relu(a3));
                }

                TLanes.Store(y0 + start, a0);
                TLanes.Store(y1 + start, a1);
                TLanes.Store(y2 + start, a2);
                TLanes.Store(y3 + start, a3);
                p = start + lanes;
            }
        }
    }

    /// <summary>As <see cref="Forward{TLanes, TVector}"/> with eight output channels a tile; <paramref name="outputs"/> is a multiple of 8.</summary>
    private static void ForwardEight<TLanes, TVector>(float* cols, int* offsets, float* w, int taps, int outputs, float* bias, float* y, int positions, bool relu)
        where TLanes : struct, ILanes<TVector>
        where TVector : struct
    {
        int lanes = TLanes.Count;
        float* b = stackalloc float[8];
        for (int o = 0; o < outputs; o += 8)
        {
            float* w0 = w + ((nint)o * taps);
            float* y0 = y + ((nint)o * positions);
            for (int i = 0; i < 8; i++)
            {
                b[i] = bias == null ? 0f : bias[o + i];
            }

            int p = 0;
            while (p < positions)
            {
                // Two vectors while they fit, then one vector, the last overlapping the previous positions.
                bool two = p + (2 * lanes) <= positions;
                int start = two ? p : Math.Min(p, positions - lanes);
                int second = two ? start + lanes : start;
                TVector a0 = TLanes.Broadcast(b[0]), a1 = TLanes.Broadcast(b[1]), a2 = TLanes.Broadcast(b[2]), a3 = TLanes.Broadcast(b[3]);
                TVector a4 = TLanes.Broadcast(b[4]), a5 = TLanes.Broadcast(b[5]), a6 = TLanes.Broadcast(b[6]), a7 = TLanes.Broadcast(b[7]);
                TVector c0 = a0, c1 = a1, c2 = a2, c3 = a3, c4 = a4, c5 = a5, c6 = a6, c7 = a7;
                float* first = cols + start;
                float* wk = w0;
                nint secondOffset = second - start;
                for (int k = 0; k < taps; k++, wk++)
                {
                    float* column = first + offsets[k];
                    TVector x0 = TLanes.Load(column), x1 = TLanes.Load(column + secondOffset);
                    TVector v = TLanes.Broadcast(wk[0]);
                    a0 = TLanes.MultiplyAdd(x0, v, a0);
                    c0 = TLanes.MultiplyAdd(x1, v, c0);
                    v = TLanes.Broadcast(wk[taps]);
                    a1 = TLanes.MultiplyAdd(x0, v, a1);
                    c1 = TLanes.MultiplyAdd(x1, v, c1);
                    v = TLanes.Broadcast(wk[2 * taps]);
                    a2 = TLanes.MultiplyAdd(x0, v, a2);
                    c2 = TLanes.MultiplyAdd(x1, v, c2);
                    v = TLanes.Broadcast(wk[3 * taps]);
                    a3 = TLanes.MultiplyAdd(x0, v, a3);
                    c3 = TLanes.MultiplyAdd(x1, v, c3);
                    v = TLanes.Broadcast(wk[4 * taps]);
                    a4 = TLanes.MultiplyAdd(x0, v, a4);
                    c4 = TLanes.MultiplyAdd(x1, v, c4);
                    v = TLanes.Broadcast(wk[5 * taps]);
                    a5 = TLanes.MultiplyAdd(x0, v, a5);
                    c5 = TLanes.MultiplyAdd(x1, v, c5);
                    v = TLanes.Broadcast(wk[6 * taps]);
                    a6 = TLanes.MultiplyAdd(x0, v, a6);
                    c6 = TLanes.MultiplyAdd(x1, v, c6);
                    v = TLanes.Broadcast(wk[7 * taps]);
                    a7 = TLanes.MultiplyAdd(x0, v, a7);
                    c7 = TLanes.MultiplyAdd(x1, v, c7);
                }

                if (relu)
                {
                    (a0, a1, a2, a3) = (TLanes.Relu(a0), TLanes.Relu(a1), TLanes.Relu(a2), TLanes.Relu(a3));
                    (a4, a5, a6, a7) = (TLanes.Relu(a4), TLanes.Relu(a5), TLanes.Relu(a6), TLanes.Relu(a7));
                    (c0, c1, c2, c3) = (TLanes.Relu(c0), TLanes.Relu(c1), TLanes.Relu(c2), TLanes.Relu(c3));
                    (c4, c5, c6, c7) = (TLanes.Relu(c4), TLanes.Relu(c5), TLanes.Relu(c6), TLanes.Relu(c7));
                }

                nint rowStep = positions;
                float* target = y0 + start;
                TLanes.Store(target, a0);
                TLanes.Store(target + rowStep, a1);
                TLanes.Store(target + (2 * rowStep), a2);
                TLanes.Store(target + (3 * rowStep), a3);
                TLanes.Store(target + (4 * rowStep), a4);
                TLanes.Store(target + (5 * rowStep), a5);
                TLanes.Store(target + (6 * rowStep), a6);
                TLanes.Store(target + (7 * rowStep), a7);
                target += secondOffset;
                TLanes.Store(target, c0);
                TLanes.Store(target + rowStep, c1);
                TLanes.Store(target + (2 * rowStep), c2);
                TLanes.Store(target + (3 * rowStep), c3);
                TLanes.Store(target + (4 * rowStep), c4);
                TLanes.Store(target + (5 * rowStep), c5);
                TLanes.Store(target + (6 * rowStep), c6);
                TLanes.Store(target + (7 * rowStep), c7);
                p = second + lanes;
            }
        }
    }

    private static void WeightGradient<TLanes, TVector>(
        float* cols, int* offsets, nint colStride, float* dy, nint dyStride, int samples, int positions, int taps, int outputs, float* dw)
        where TLanes : struct, ILanes<TVector>
        where TVector : struct
    {
        int lanes = TLanes.Count;
        int full = positions - (positions % lanes);
        int rest = positions - full;

        // Lanes of the overlapping last vector that are new (the last `rest` ones): all bits set there, zero elsewhere.
        float* table = stackalloc float[2 * 16];
        for (int i = 0; i < 2 * lanes; i++)
        {
            table[i] = i < lanes ? 0f : BitConverter.Int32BitsToSingle(-1);
        }

        TVector mask = TLanes.Load(table + rest);
        for (int o = 0; o < outputs; o += 4)
        {
            int o1 = Math.Min(o + 1, outputs - 1), o2 = Math.Min(o + 2, outputs - 1), o3 = Math.Min(o + 3, outputs - 1);
            for (int k = 0; k < taps; k += 2)
            {
                int k1 = Math.Min(k + 1, taps - 1);
                TVector a00 = default, a10 = default, a20 = default, a30 = default;
                TVector a01 = default, a11 = default, a21 = default, a31 = default;
                for (int s = 0; s < samples; s++)
                {
                    float* g = dy + (s * dyStride);
                    float* g0 = g + ((nint)o * positions), g1 = g + ((nint)o1 * positions), g2 = g + ((nint)o2 * positions), g3 = g + ((nint)o3 * positions);
                    float* x0 = cols + (s * colStride) + offsets[k], x1 = cols + (s * colStride) + offsets[k1];
                    for (int p = 0; p < full; p += lanes)
                    {
                        TVector u = TLanes.Load(x0 + p), v = TLanes.Load(x1 + p);
                        TVector d = TLanes.Load(g0 + p);
                        a00 = TLanes.MultiplyAdd(d, u, a00);
                        a01 = TLanes.MultiplyAdd(d, v, a01);
                        d = TLanes.Load(g1 + p);
                        a10 = TLanes.MultiplyAdd(d, u, a10);
                        a11 = TLanes.MultiplyAdd(d, v, a11);
                        d = TLanes.Load(g2 + p);
                        a20 = TLanes.MultiplyAdd(d, u, a20);
                        a21 = TLanes.MultiplyAdd(d, v, a21);
                        d = TLanes.Load(g3 + p);
                        a30 = TLanes.MultiplyAdd(d, u, a30);
                        a31 = TLanes.MultiplyAdd(d, v, a31);
                    }

                    if (rest > 0)
                    {
                        int p = positions - lanes;
                        // Both factors masked: a lane counted already adds exactly 0, even where a value is infinite.
                        TVector u = TLanes.And(TLanes.Load(x0 + p), mask), v = TLanes.And(TLanes.Load(x1 + p), mask);
                        TVector d = TLanes.And(TLanes.Load(g0 + p), mask);
                        a00 = TLanes.MultiplyAdd(d, u, a00);
                        a01 = TLanes.MultiplyAdd(d, v, a01);
                        d = TLanes.And(TLanes.Load(g1 + p), mask);
                        a10 = TLanes.MultiplyAdd(d, u, a10);
                        a11 = TLanes.MultiplyAdd(d, v, a11);
                        d = TLanes.And(TLanes.Load(g2 + p), mask);
                        a20 = TLanes.MultiplyAdd(d, u, a20);
                        a21 = TLanes.MultiplyAdd(d, v, a21);
                        d = TLanes.And(TLanes.Load(g3 + p), mask);
                        a30 = TLanes.MultiplyAdd(d, u, a30);
                        a31 = TLanes.MultiplyAdd(d, v, a31);
                    }
                }

                // Repeated (clamped) channels and taps write the same value to the same place.
                dw[((nint)o * taps) + k] = TLanes.Sum(a00);
                dw[((nint)o * taps) + k1] = TLanes.Sum(a01);
                dw[((nint)o1 * taps) + k] = TLanes.Sum(a10);
                dw[((nint)o1 * taps) + k1] = TLanes.Sum(a11);
                dw[((nint)o2 * taps) + k] = TLanes.Sum(a20);
                dw[((nint)o2 * taps) + k1] = TLanes.Sum(a21);
                dw[((nint)o3 * taps) + k] = TLanes.Sum(a30);
                dw[((nint)o3 * taps) + k1] = TLanes.Sum(a31);
            }
        }
    }
}
