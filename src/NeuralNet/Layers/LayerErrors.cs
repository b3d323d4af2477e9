using System.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace NeuralNet.Layers;

/// <summary>Shape checks shared by the layers; every message names the layer and both shapes.</summary>
internal static class LayerErrors
{
    public static void CheckInput<T>(string layer, int? expectedRows, Matrix<T> input)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(input);
        if (expectedRows is int rows && input.RowCount != rows)
        {
            throw new ArgumentException(
                $"{layer}: expected an input of {rows} features × batch (one sample per column), got {Shape(input)}.",
                nameof(input));
        }

        if (input.ColumnCount == 0)
        {
            throw new ArgumentException($"{layer}: the input batch is empty ({Shape(input)}).", nameof(input));
        }
    }

    public static void CheckSameShape<T>(string layer, string what, int rows, int columns, Matrix<T> actual, string parameterName)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(actual, parameterName);
        if (actual.RowCount != rows || actual.ColumnCount != columns)
        {
            throw new ArgumentException(
                $"{layer}: {what} must be {rows} × {columns}, got {Shape(actual)}.", parameterName);
        }
    }

    public static InvalidOperationException BackwardBeforeForward(string layer) =>
        new($"{layer}: Backward was called before Forward; run a training forward pass first.");

    public static string Shape<T>(Matrix<T> matrix)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        $"{matrix.RowCount} × {matrix.ColumnCount}";
}
