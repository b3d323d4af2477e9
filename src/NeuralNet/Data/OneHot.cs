using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Compute;

namespace NeuralNet.Data;

/// <summary>One-hot encoding of class labels: label <c>c</c> becomes the unit column <c>e_c</c> of length <c>classCount</c>.</summary>
public static class OneHot
{
    /// <summary>Encodes labels as a <c>classCount × samples</c> matrix with a single 1 per column, at the label's row.</summary>
    /// <param name="labels">Class indices, each in <c>[0, classCount)</c>.</param>
    /// <param name="classCount">Number of classes (rows).</param>
    /// <typeparam name="T">Element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <exception cref="ArgumentOutOfRangeException">A label is out of range (the message names the sample).</exception>
    public static Matrix<T> Encode<T>(IReadOnlyList<int> labels, int classCount)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classCount);
        var data = new T[checked(labels.Count * classCount)];
        for (int j = 0; j < labels.Count; j++)
        {
            int label = labels[j];
            if (label < 0 || label >= classCount)
            {
                throw new ArgumentOutOfRangeException(nameof(labels), label, $"OneHot: label {label} of sample {j} is outside the {classCount} classes [0, {classCount - 1}].");
            }

            data[(j * classCount) + label] = T.One;
        }

        return Matrix<T>.Build.Dense(classCount, labels.Count, data);
    }

    /// <summary>Decodes each column to the row of its largest value (the inverse of <see cref="Encode{T}"/>; also turns scores into classes).</summary>
    /// <param name="encoded">A <c>classCount × samples</c> matrix.</param>
    /// <typeparam name="T">Element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    public static int[] Decode<T>(Matrix<T> encoded)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(encoded);
        T[] values = DenseStorage.Of(encoded, nameof(encoded));
        int rows = encoded.RowCount;
        var labels = new int[encoded.ColumnCount];
        for (int j = 0; j < labels.Length; j++)
        {
            labels[j] = System.Numerics.Tensors.TensorPrimitives.IndexOfMax<T>(values.AsSpan(j * rows, rows));
        }

        return labels;
    }
}
