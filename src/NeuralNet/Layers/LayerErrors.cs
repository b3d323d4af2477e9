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

    /// <summary>The error for an input shape a layer cannot take.</summary>
    public static ArgumentException WrongShape(string layer, string expected, Shape actual) =>
        new($"{layer}: expects input samples of {expected}, got {actual}.", "inputShape");

    /// <summary>Checks that a rank-1 input shape has <paramref name="features"/> elements.</summary>
    public static Shape RequireVector(string layer, int features, Shape inputShape, string? hint = null)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        if (inputShape.Rank != 1 || inputShape[0] != features)
        {
            throw new ArgumentException(
                $"{layer}: expects input samples of shape ({features}), got {inputShape}.{(inputShape.Rank > 1 ? " Put a Flatten layer in front to use every element as a feature." : string.Empty)}{hint}",
                nameof(inputShape));
        }

        return inputShape;
    }

    public static InvalidOperationException BackwardBeforeForward(string layer) =>
        new($"{layer}: Backward was called before Forward; run a training forward pass first.");

    public static string Shape<T>(Matrix<T> matrix)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        $"{matrix.RowCount} × {matrix.ColumnCount}";
}
