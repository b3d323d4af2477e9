using System.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace NeuralNet.Compute;

/// <summary>
/// Reusable dense matrices keyed by shape, so a training step allocates nothing in steady state.
/// Keeps a few shapes at once (the full batch and the last partial batch alternate every epoch).
/// </summary>
/// <remarks>Not thread-safe: each layer owns its caches for the training path only.</remarks>
internal sealed class MatrixCache<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>How many shapes are kept at once.</summary>
    public const int Capacity = 3;
    private readonly Matrix<T>?[] entries = new Matrix<T>?[Capacity];
    private int next;

    /// <summary>Returns a matrix of the given shape; its contents are whatever was last written to it.</summary>
    public Matrix<T> Get(int rows, int columns)
    {
        for (int i = 0; i < Capacity; i++)
        {
            Matrix<T>? entry = entries[i];
            if (entry is not null && entry.RowCount == rows && entry.ColumnCount == columns)
            {
                return entry;
            }
        }

        Matrix<T> created = Matrix<T>.Build.Dense(rows, columns);
        entries[next] = created;
        next = (next + 1) % Capacity;
        return created;
    }
}
