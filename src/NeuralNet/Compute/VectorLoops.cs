using System.Numerics;
using System.Runtime.InteropServices;

namespace NeuralNet.Compute;

/// <summary>
/// Element-wise selections that <see cref="System.Numerics.Tensors.TensorPrimitives"/> has no single call for,
/// written once with <see cref="Vector{T}"/> so they vectorise on every platform.
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
}
