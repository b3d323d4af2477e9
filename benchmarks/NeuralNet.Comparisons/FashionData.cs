using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Data;

namespace NeuralNet.Comparisons;

/// <summary>Fashion-MNIST for the comparisons: pixels in [0, 1] (the same values for every library), one sample per column.</summary>
internal static class FashionData
{
    private static (Matrix<float> Images, int[] Labels)? training;

    /// <summary>The first <paramref name="count"/> training images (784 × count) and their labels.</summary>
    public static Dataset<float> Training(int count = 60_000)
    {
        (Matrix<float> images, int[] labels) = training ??= NeuralNet.Benchmarks.FashionMnist.LoadTraining();
        return count == images.ColumnCount
            ? Dataset<float>.ForClassification(images, labels, 10)
            : Dataset<float>.ForClassification(images.SubMatrix(0, images.RowCount, 0, count), labels[..count], 10);
    }

    /// <summary>The column-major storage of a dense matrix: for features × samples, the row-major [samples, features] block.</summary>
    public static float[] Storage(Matrix<float> matrix) =>
        matrix.AsColumnMajorArray() ?? throw new InvalidOperationException("Expected a dense matrix.");
}
