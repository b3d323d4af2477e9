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

    public static Reduction CheckReduction(string loss, Reduction reduction) =>
        Enum.IsDefined(reduction) ? reduction : throw new ArgumentOutOfRangeException(nameof(reduction), reduction, $"{loss}: unknown reduction.");

    /// <summary>Reduction.None has no scalar: Compute refuses it.</summary>
    public static InvalidOperationException NoScalar(string loss) =>
        new($"{loss}: Reduction.None has no scalar loss; call ComputePerSample for the per-sample losses, or use Reduction.Mean or Reduction.Sum.");

    public static NotSupportedException NeedsTargets(string loss) =>
        new($"{loss} needs target values, not class labels; build the dataset with targets (one-hot encode the labels for a classification problem).");

    public static void CheckPerSample(string loss, int batch, int length)
    {
        if (length != batch)
        {
            throw new ArgumentException($"{loss}: the per-sample loss span has {length} entries for a batch of {batch} samples.", "losses");
        }
    }

    /// <summary>Copies per-class or per-output weights after checking they are finite and non-negative.</summary>
    public static double[]? CheckWeights(string loss, IReadOnlyList<double>? weights, string parameterName, string what)
    {
        if (weights is null)
        {
            return null;
        }

        if (weights.Count == 0)
        {
            throw new ArgumentException($"{loss}: the {what} list is empty; pass null for none.", parameterName);
        }

        double[] copy = [.. weights];
        for (int i = 0; i < copy.Length; i++)
        {
            if (!(copy[i] >= 0) || !double.IsFinite(copy[i]))
            {
                throw new ArgumentOutOfRangeException(parameterName, copy[i], $"{loss}: {what} {i} is {copy[i]}; weights must be finite and non-negative.");
            }
        }

        return copy;
    }

    public static void CheckWeightCount(string loss, double[]? weights, int rows, string what, string rowsWhat)
    {
        if (weights is not null && weights.Length != rows)
        {
            throw new ArgumentException($"{loss}: {weights.Length} {what} for an output of {rows} {rowsWhat}.", "output");
        }
    }
}
