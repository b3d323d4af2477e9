using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Compute;

namespace NeuralNet.Data;

/// <summary>
/// Conversions between batch-first arrays (one sample per row: <c>[samples, features]</c>, as in Keras, PyTorch, ML.NET
/// and CSV files) and the library's <c>features × samples</c> matrices (one sample per column).
/// </summary>
/// <remarks>
/// A row-major <c>[samples, features]</c> block and a column-major <c>features × samples</c> matrix are the same memory,
/// so every conversion is one block copy (or none, for a flat array that is wrapped). These helpers check structure
/// only; callers check orientation against what they know (the network's input size, the number of labels).
/// </remarks>
internal static class BatchFirstArrays
{
    /// <summary>Formats dimensions as <c>[a, b]</c> for messages.</summary>
    public static string Dimensions(params ReadOnlySpan<long> lengths)
    {
        var parts = new string[lengths.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            parts[i] = lengths[i].ToString(CultureInfo.InvariantCulture);
        }

        return $"[{string.Join(", ", parts)}]";
    }

    /// <summary>The elements of a 2-D array in memory (row-major) order, without copying.</summary>
    public static ReadOnlySpan<T> Memory<T>(T[,] array)
        where T : unmanaged
        => MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<byte, T>(ref MemoryMarshal.GetArrayDataReference(array)), array.Length);

    /// <summary>A <c>features × samples</c> matrix holding a copy of <c>[samples, features]</c> rows (one block copy).</summary>
    /// <exception cref="ArgumentException">No samples or no features.</exception>
    public static Matrix<T> FromRectangular<T>(T[,] rows, string context, string parameterName)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(rows, parameterName);
        int samples = rows.GetLength(0);
        int features = rows.GetLength(1);
        CheckNotEmpty(samples, features, context, parameterName);
        var values = new T[rows.Length];
        Memory(rows).CopyTo(values);
        return Matrix<T>.Build.Dense(features, samples, values);
    }

    /// <summary>The common row length of jagged rows (one sample per row), checking every row.</summary>
    /// <exception cref="ArgumentException">No rows, a null row, an empty row, or rows of different lengths (the message names the row).</exception>
    public static int RowLength<T>(T[][] rows, string context, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(rows, parameterName);
        if (rows.Length == 0)
        {
            throw new ArgumentException($"{context}: there are no samples (rows).", parameterName);
        }

        int length = (rows[0] ?? throw NullRow(0, context, parameterName)).Length;
        if (length == 0)
        {
            throw new ArgumentException($"{context}: row 0 is empty; each row holds one sample's values.", parameterName);
        }

        for (int i = 1; i < rows.Length; i++)
        {
            T[] row = rows[i] ?? throw NullRow(i, context, parameterName);
            if (row.Length != length)
            {
                throw new ArgumentException(
                    $"{context}: row {i} has {row.Length} values but row 0 has {length}; every row is one sample and all must have the same length.",
                    parameterName);
            }
        }

        return length;
    }

    /// <summary>A <c>length × rows</c> matrix holding a copy of jagged rows already checked by <see cref="RowLength{T}"/>.</summary>
    public static Matrix<T> FromJagged<T>(T[][] rows, int length)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var values = new T[checked(rows.Length * length)];
        for (int j = 0; j < rows.Length; j++)
        {
            rows[j].CopyTo(values.AsSpan(j * length, length));
        }

        return Matrix<T>.Build.Dense(length, rows.Length, values);
    }

    /// <summary>The number of values per sample of a flat <c>[samples, values]</c> block.</summary>
    /// <exception cref="ArgumentException">A sample count below 1, no values, or a length that is not a multiple of the sample count.</exception>
    public static int ValuesPerSample(int length, int sampleCount, string context, string parameterName)
    {
        if (sampleCount < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(sampleCount), sampleCount, $"{context}: the sample count must be at least 1.");
        }

        if (length == 0 || length % sampleCount != 0)
        {
            throw new ArgumentException(
                $"{context}: {length} values do not split into {sampleCount} samples of equal length; pass [samples, features] row by row, {sampleCount} rows.",
                parameterName);
        }

        return length / sampleCount;
    }

    /// <summary>A <c>rows × columns</c> matrix that uses <paramref name="values"/> as its storage: no copy, shared memory.</summary>
    public static Matrix<T> Wrap<T>(T[] values, int rows, int columns)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Matrix<T>.Build.Dense(rows, columns, values);

    /// <summary>The samples (columns) of a <c>values × samples</c> matrix as <c>[samples, values]</c> rows (one block copy).</summary>
    public static T[,] ToRectangular<T>(Matrix<T> matrix)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = new T[matrix.ColumnCount, matrix.RowCount];
        if (result.Length > 0)
        {
            DenseStorage.Of(matrix, nameof(matrix)).AsSpan(0, result.Length).CopyTo(
                MemoryMarshal.CreateSpan(ref Unsafe.As<byte, T>(ref MemoryMarshal.GetArrayDataReference(result)), result.Length));
        }

        return result;
    }

    /// <summary>The samples (columns) of a <c>values × samples</c> matrix as one array per sample.</summary>
    public static T[][] ToJagged<T>(Matrix<T> matrix)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] values = DenseStorage.Of(matrix, nameof(matrix));
        int rows = matrix.RowCount;
        var result = new T[matrix.ColumnCount][];
        for (int j = 0; j < result.Length; j++)
        {
            result[j] = values.AsSpan(j * rows, rows).ToArray();
        }

        return result;
    }

    private static void CheckNotEmpty(int samples, int features, string context, string parameterName)
    {
        if (samples == 0 || features == 0)
        {
            throw new ArgumentException(
                $"{context}: got {Dimensions(samples, features)}; pass [samples, features] with at least one sample and one feature.", parameterName);
        }
    }

    private static ArgumentException NullRow(int index, string context, string parameterName)
        => new($"{context}: row {index} is null; each row holds one sample's values.", parameterName);
}
