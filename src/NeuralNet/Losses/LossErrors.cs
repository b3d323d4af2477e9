using System.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace NeuralNet.Losses;

/// <summary>Argument checks shared by the losses; messages name the loss, the shapes and the value at fault.</summary>
internal static class LossErrors
{
    public static void CheckOutput<T>(string loss, Matrix<T> output)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(output);
        if (output.ColumnCount == 0 || output.RowCount == 0)
        {
            throw new ArgumentException($"{loss}: the output is empty ({output.RowCount} × {output.ColumnCount}).", nameof(output));
        }
    }

    public static void CheckSameShape<T>(string loss, Matrix<T> output, Matrix<T>? other, string what, string parameterName)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (other is not null && (other.RowCount != output.RowCount || other.ColumnCount != output.ColumnCount))
        {
            throw new ArgumentException(
                $"{loss}: {what} must have the output's shape {output.RowCount} × {output.ColumnCount}, got {other.RowCount} × {other.ColumnCount}.",
                parameterName);
        }
    }

    public static void CheckLabels(string loss, ReadOnlySpan<int> labels, int batch, int classes)
    {
        if (labels.Length != batch)
        {
            throw new ArgumentException($"{loss}: got {labels.Length} labels for a batch of {batch} samples.", nameof(labels));
        }

        for (int j = 0; j < labels.Length; j++)
        {
            if ((uint)labels[j] >= (uint)classes)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(labels), labels[j], $"{loss}: label {labels[j]} of sample {j} is outside the {classes} classes [0, {classes - 1}].");
            }
        }
    }
}
