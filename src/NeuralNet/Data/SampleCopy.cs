using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Compute;

namespace NeuralNet.Data;

/// <summary>Copies chosen samples (columns, contiguous in column-major storage) between matrices.</summary>
internal static class SampleCopy
{
    /// <summary>Copies column <c>indices[j]</c> of <paramref name="source"/> to column <c>j</c> of <paramref name="destination"/>.</summary>
    public static void Columns<T>(Matrix<T> source, IReadOnlyList<int> indices, Matrix<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] from = DenseStorage.Of(source, nameof(source));
        T[] to = DenseStorage.Of(destination, nameof(destination));
        int rows = source.RowCount;
        for (int j = 0; j < indices.Count; j++)
        {
            int index = indices[j];
            if ((uint)index >= (uint)source.ColumnCount)
            {
                throw new ArgumentOutOfRangeException(nameof(indices), index, $"Sample index {index} is outside [0, {source.ColumnCount}).");
            }

            from.AsSpan(index * rows, rows).CopyTo(to.AsSpan(j * rows, rows));
        }
    }

    /// <summary>Copies columns <c>indices[j]</c> for <c>j</c> in a range, without allocating (the training hot path).</summary>
    public static void Columns<T>(T[] from, int rows, ReadOnlySpan<int> indices, T[] to)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int j = 0; j < indices.Length; j++)
        {
            from.AsSpan(indices[j] * rows, rows).CopyTo(to.AsSpan(j * rows, rows));
        }
    }
}
