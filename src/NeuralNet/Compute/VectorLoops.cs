using System.Numerics;
using System.Runtime.InteropServices;

namespace NeuralNet.Compute;

/// <summary>
/// Element-wise selections and checks that <see cref="System.Numerics.Tensors.TensorPrimitives"/> has no single call
/// for, written once with <see cref="Vector{T}"/> so they vectorise on every platform.
/// </summary>
internal static class VectorLoops
{
    /// <summary><c>result[i] = condition[i] &gt; 0 ? value[i] : otherwise</c>.</summary>
    public static void SelectWherePositive<T>(ReadOnlySpan<T> condition, ReadOnlySpan<T> value, T otherwise, Span<T> result)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
        {
            ReadOnlySpan<Vector<T>> c = MemoryMarshal.Cast<T, Vector<T>>(condition);
            ReadOnlySpan<Vector<T>> v = MemoryMarshal.Cast<T, Vector<T>>(value[..condition.Length]);
            Span<Vector<T>> r = MemoryMarshal.Cast<T, Vector<T>>(result[..condition.Length]);
            Vector<T> other = new(otherwise);
            for (int j = 0; j < c.Length; j++)
            {
                r[j] = Vector.ConditionalSelect(Vector.GreaterThan(c[j], Vector<T>.Zero), v[j], other);
            }

            i = c.Length * Vector<T>.Count;
        }

        for (; i < condition.Length; i++)
        {
            result[i] = condition[i] > T.Zero ? value[i] : otherwise;
        }
    }

    /// <summary><c>result[i] = condition[i] &gt; 0 ? value[i] : scale·value[i]</c>.</summary>
    public static void ScaleWhereNotPositive<T>(ReadOnlySpan<T> condition, ReadOnlySpan<T> value, T scale, Span<T> result)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
        {
            ReadOnlySpan<Vector<T>> c = MemoryMarshal.Cast<T, Vector<T>>(condition);
            ReadOnlySpan<Vector<T>> v = MemoryMarshal.Cast<T, Vector<T>>(value[..condition.Length]);
            Span<Vector<T>> r = MemoryMarshal.Cast<T, Vector<T>>(result[..condition.Length]);
            Vector<T> s = new(scale);
            for (int j = 0; j < c.Length; j++)
            {
                r[j] = Vector.ConditionalSelect(Vector.GreaterThan(c[j], Vector<T>.Zero), v[j], v[j] * s);
            }

            i = c.Length * Vector<T>.Count;
        }

        for (; i < condition.Length; i++)
        {
            result[i] = condition[i] > T.Zero ? value[i] : scale * value[i];
        }
    }

    /// <summary>Whether every value is finite (neither NaN nor ±∞).</summary>
    /// <remarks>
    /// <c>x·0</c> is ±0 for a finite <c>x</c> and NaN otherwise, and a sum of zeros stays a zero, so the sum of all
    /// <c>x·0</c> is NaN exactly when some value is not finite: one multiply and one add per vector, with four
    /// independent sums (a scratch probe on 784,000 floats: 32 µs, against 110 µs for
    /// <c>TensorPrimitives.MaxMagnitude</c>, which tracks the maximum and its sign).
    /// </remarks>
    public static bool AllFinite<T>(ReadOnlySpan<T> values)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0;
        T sum = T.Zero;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
        {
            ReadOnlySpan<Vector<T>> v = MemoryMarshal.Cast<T, Vector<T>>(values);
            Vector<T> s0 = Vector<T>.Zero, s1 = s0, s2 = s0, s3 = s0;
            int j = 0;
            for (; j + 4 <= v.Length; j += 4)
            {
                s0 += v[j] * Vector<T>.Zero;
                s1 += v[j + 1] * Vector<T>.Zero;
                s2 += v[j + 2] * Vector<T>.Zero;
                s3 += v[j + 3] * Vector<T>.Zero;
            }

            for (; j < v.Length; j++)
            {
                s0 += v[j] * Vector<T>.Zero;
            }

            sum = Vector.Sum((s0 + s1) + (s2 + s3));
            i = v.Length * Vector<T>.Count;
        }

        for (; i < values.Length; i++)
        {
            sum += values[i] * T.Zero;
        }

        return !T.IsNaN(sum);
    }
}
