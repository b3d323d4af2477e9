using System.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace NeuralNet.Compute;

/// <summary>Access to the column-major array behind a dense MathNet matrix, without copying.</summary>
internal static class DenseStorage
{
    /// <summary>The matrix's column-major storage.</summary>
    /// <exception cref="ArgumentException">The matrix is not dense (sparse and diagonal matrices have no such array).</exception>
    public static T[] Of<T>(Matrix<T> matrix, string parameterName)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        return matrix.AsColumnMajorArray()
            ?? throw new ArgumentException(
                $"NeuralNet works on dense matrices; got a {matrix.GetType().Name} ({matrix.RowCount} × {matrix.ColumnCount}). Convert it with Matrix<T>.Build.DenseOfMatrix.",
                parameterName);
    }
}
