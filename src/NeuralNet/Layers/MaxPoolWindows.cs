using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using NeuralNet.Compute;

namespace NeuralNet.Layers;

/// <summary>
/// The common 2 × 2 unpadded max-pooling window as a tight loop, with exactly <see cref="MaxPool2d{T}"/>'s rule: start at
/// −∞ with the window's first element, take a later element only when it is strictly greater or NaN (so ties keep the
/// first in row-major order, and the last NaN wins).
/// </summary>
internal static class MaxPoolWindows
{
    /// <summary>
    /// Pools every channel plane of <paramref name="batch"/> samples of <paramref name="channels"/> planes (each
    /// <paramref name="planeSize"/> elements, rows of <paramref name="width"/>) with a 2 × 2 window; when
    /// <paramref name="positions"/> is given, stores each maximum's index within its sample.
    /// </summary>
    public static void TwoByTwo<T>(
        T[] x, T[] y, int[]? positions, int batch, int channels, int planeSize, int width, int outHeight, int outWidth, int strideHeight, int strideWidth)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int inputSize = channels * planeSize;
        int outputs = batch * channels * outHeight * outWidth;
        int lastWindow = ((outHeight - 1) * strideHeight * width) + ((outWidth - 1) * strideWidth) + width + 1;
        if (lastWindow >= planeSize || (long)batch * inputSize > x.Length || outputs > y.Length || (positions is not null && outputs > positions.Length))
        {
            throw new ArgumentException("MaxPool2d: the window geometry does not fit the buffers.");
        }

        if (typeof(T) == typeof(float) && strideWidth == 2 && outWidth >= Vector256<float>.Count
            && Vector256.IsHardwareAccelerated && ComputeSettings.ActivePath != GemmPath.Portable)
        {
            FloatStrideTwo((float[])(object)x, (float[])(object)y, positions, batch, channels, planeSize, width, outHeight, outWidth, strideHeight);
            return;
        }

        if (typeof(T) == typeof(float) && strideWidth == 2 && outWidth >= Vector128<float>.Count
            && Vector128.IsHardwareAccelerated && ComputeSettings.ActivePath != GemmPath.Portable)
        {
            FloatStrideTwoNarrow((float[])(object)x, (float[])(object)y, positions, batch, channels, planeSize, width, outHeight, outWidth, strideHeight);
            return;
        }

        ref T output = ref MemoryMarshal.GetArrayDataReference(y);
        int o = 0;
        for (int n = 0; n < batch; n++)
        {
            ref T sample = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(x), n * inputSize);
            for (int c = 0; c < channels; c++)
            {
                for (int i = 0; i < outHeight; i++)
                {
                    int top = (c * planeSize) + (i * strideHeight * width);
                    for (int j = 0; j < outWidth; j++, o++)
                    {
                        int k0 = top + (j * strideWidth);
                        int best = Pick(ref sample, k0, k0 + 1, k0 + width, k0 + width + 1);
                        Unsafe.Add(ref output, o) = Unsafe.Add(ref sample, best);
                        if (positions is not null)
                        {
                            positions[o] = best;
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// Horizontal stride 2 in float, eight outputs per step (the last step of a row overlaps the previous one and
    /// recomputes the same values): the window's four elements are compared in row-major order with the same rule,
    /// lane by lane, so values and positions equal the scalar loop's.
    /// </summary>
    private static void FloatStrideTwo(float[] x, float[] y, int[]? positions, int batch, int channels, int planeSize, int width, int outHeight, int outWidth, int strideHeight)
    {
        int lanes = Vector256<float>.Count;
        Vector256<int> evens = Vector256.Create(0, 2, 4, 6, 1, 3, 5, 7);
        Vector256<int> twice = Vector256.Create(0, 2, 4, 6, 8, 10, 12, 14);
        Vector256<int> right = Vector256.Create(1);
        Vector256<int> below = Vector256.Create(width);
        Vector256<int> belowRight = Vector256.Create(width + 1);
        Vector256<float> negativeInfinity = Vector256.Create(float.NegativeInfinity);
        int inputSize = channels * planeSize;
        int outPlane = outHeight * outWidth;
        ref float output = ref MemoryMarshal.GetArrayDataReference(y);
        for (int n = 0; n < batch; n++)
        {
            ref float sample = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(x), n * inputSize);
            for (int c = 0; c < channels; c++)
            {
                int o = ((n * channels) + c) * outPlane;
                for (int i = 0; i < outHeight; i++, o += outWidth)
                {
                    int top = (c * planeSize) + (i * strideHeight * width);
                    for (int j = 0; j < outWidth; j += lanes)
                    {
                        int start = Math.Min(j, outWidth - lanes);
                        int k0 = top + (2 * start);
                        (Vector256<float> v0, Vector256<float> v1) = Split(ref Unsafe.Add(ref sample, k0), evens);
                        (Vector256<float> v2, Vector256<float> v3) = Split(ref Unsafe.Add(ref sample, k0 + width), evens);
                        Vector256<float> best = negativeInfinity;
                        Vector256<int> offset = Vector256<int>.Zero;
                        Vector256<float> take = Vector256.GreaterThan(v0, best) | ~Vector256.Equals(v0, v0);
                        best = Vector256.ConditionalSelect(take, v0, best);
                        take = Vector256.GreaterThan(v1, best) | ~Vector256.Equals(v1, v1);
                        best = Vector256.ConditionalSelect(take, v1, best);
                        offset = Vector256.ConditionalSelect(take.AsInt32(), right, offset);
                        take = Vector256.GreaterThan(v2, best) | ~Vector256.Equals(v2, v2);
                        best = Vector256.ConditionalSelect(take, v2, best);
                        offset = Vector256.ConditionalSelect(take.AsInt32(), below, offset);
                        take = Vector256.GreaterThan(v3, best) | ~Vector256.Equals(v3, v3);
                        best = Vector256.ConditionalSelect(take, v3, best);
                        offset = Vector256.ConditionalSelect(take.AsInt32(), belowRight, offset);
                        best.StoreUnsafe(ref output, (nuint)(o + start));
                        if (positions is not null)
                        {
                            (Vector256.Create(k0) + twice + offset).StoreUnsafe(ref MemoryMarshal.GetArrayDataReference(positions), (nuint)(o + start));
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// As <see cref="FloatStrideTwo"/> with four outputs per step, for rows of 4 to 7 outputs (a 14 or 15 wide image) (the last step of a row overlaps the previous one and
    /// recomputes the same values): the window's four elements are compared in row-major order with the same rule,
    /// lane by lane, so values and positions equal the scalar loop's.
    /// </summary>
    private static void FloatStrideTwoNarrow(float[] x, float[] y, int[]? positions, int batch, int channels, int planeSize, int width, int outHeight, int outWidth, int strideHeight)
    {
        int lanes = Vector128<float>.Count;
        Vector128<int> evens = Vector128.Create(0, 2, 1, 3);
        Vector128<int> twice = Vector128.Create(0, 2, 4, 6);
        Vector128<int> right = Vector128.Create(1);
        Vector128<int> below = Vector128.Create(width);
        Vector128<int> belowRight = Vector128.Create(width + 1);
        Vector128<float> negativeInfinity = Vector128.Create(float.NegativeInfinity);
        int inputSize = channels * planeSize;
        int outPlane = outHeight * outWidth;
        ref float output = ref MemoryMarshal.GetArrayDataReference(y);
        for (int n = 0; n < batch; n++)
        {
            ref float sample = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(x), n * inputSize);
            for (int c = 0; c < channels; c++)
            {
                int o = ((n * channels) + c) * outPlane;
                for (int i = 0; i < outHeight; i++, o += outWidth)
                {
                    int top = (c * planeSize) + (i * strideHeight * width);
                    for (int j = 0; j < outWidth; j += lanes)
                    {
                        int start = Math.Min(j, outWidth - lanes);
                        int k0 = top + (2 * start);
                        (Vector128<float> v0, Vector128<float> v1) = SplitNarrow(ref Unsafe.Add(ref sample, k0), evens);
                        (Vector128<float> v2, Vector128<float> v3) = SplitNarrow(ref Unsafe.Add(ref sample, k0 + width), evens);
                        Vector128<float> best = negativeInfinity;
                        Vector128<int> offset = Vector128<int>.Zero;
                        Vector128<float> take = Vector128.GreaterThan(v0, best) | ~Vector128.Equals(v0, v0);
                        best = Vector128.ConditionalSelect(take, v0, best);
                        take = Vector128.GreaterThan(v1, best) | ~Vector128.Equals(v1, v1);
                        best = Vector128.ConditionalSelect(take, v1, best);
                        offset = Vector128.ConditionalSelect(take.AsInt32(), right, offset);
                        take = Vector128.GreaterThan(v2, best) | ~Vector128.Equals(v2, v2);
                        best = Vector128.ConditionalSelect(take, v2, best);
                        offset = Vector128.ConditionalSelect(take.AsInt32(), below, offset);
                        take = Vector128.GreaterThan(v3, best) | ~Vector128.Equals(v3, v3);
                        best = Vector128.ConditionalSelect(take, v3, best);
                        offset = Vector128.ConditionalSelect(take.AsInt32(), belowRight, offset);
                        best.StoreUnsafe(ref output, (nuint)(o + start));
                        if (positions is not null)
                        {
                            (Vector128.Create(k0) + twice + offset).StoreUnsafe(ref MemoryMarshal.GetArrayDataReference(positions), (nuint)(o + start));
                        }
                    }
                }
            }
        }
    }

    /// <summary>Sixteen consecutive floats as their eight even- and eight odd-indexed elements.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<float> Even, Vector256<float> Odd) Split(ref float source, Vector256<int> evens)
    {
        Vector256<float> low = Vector256.Shuffle(Vector256.LoadUnsafe(ref source), evens);
        Vector256<float> high = Vector256.Shuffle(Vector256.LoadUnsafe(ref source, 8), evens);
        return (Vector256.Create(low.GetLower(), high.GetLower()), Vector256.Create(low.GetUpper(), high.GetUpper()));
    }

    /// <summary>Eight consecutive floats as their four even- and four odd-indexed elements.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector128<float> Even, Vector128<float> Odd) SplitNarrow(ref float source, Vector128<int> evens)
    {
        Vector128<float> low = Vector128.Shuffle(Vector128.LoadUnsafe(ref source), evens);
        Vector128<float> high = Vector128.Shuffle(Vector128.LoadUnsafe(ref source, 4), evens);
        return (Vector128.Create(low.GetLower(), high.GetLower()), Vector128.Create(low.GetUpper(), high.GetUpper()));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Pick<T>(ref T x, int k0, int k1, int k2, int k3)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T v0 = Unsafe.Add(ref x, k0), v1 = Unsafe.Add(ref x, k1), v2 = Unsafe.Add(ref x, k2), v3 = Unsafe.Add(ref x, k3);
        T best = T.NegativeInfinity;
        int index = k0;
        bool take = v0 > best || T.IsNaN(v0);
        best = take ? v0 : best;
        index = take ? k0 : index;
        take = v1 > best || T.IsNaN(v1);
        best = take ? v1 : best;
        index = take ? k1 : index;
        take = v2 > best || T.IsNaN(v2);
        best = take ? v2 : best;
        index = take ? k2 : index;
        take = v3 > best || T.IsNaN(v3);
        index = take ? k3 : index;
        return index;
    }
}
