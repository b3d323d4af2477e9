using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Compute;

namespace NeuralNet.Metrics;

/// <summary>
/// Metrics of predicted values against actual ones. The matrix overloads take <c>outputs × samples</c> matrices
/// (one sample per column, as the network produces them).
/// </summary>
public static class Regression
{
    /// <summary>Mean squared error <c>Σ(ŷ − y)² / n</c> over all <c>n</c> values.</summary>
    public static double MeanSquaredError(ReadOnlySpan<double> actual, ReadOnlySpan<double> predicted)
    {
        CheckPairs(actual, predicted);
        double sum = 0;
        for (int i = 0; i < actual.Length; i++)
        {
            double error = predicted[i] - actual[i];
            sum += error * error;
        }

        return sum / actual.Length;
    }

    /// <summary>Mean absolute error <c>Σ|ŷ − y| / n</c> over all <c>n</c> values.</summary>
    public static double MeanAbsoluteError(ReadOnlySpan<double> actual, ReadOnlySpan<double> predicted)
    {
        CheckPairs(actual, predicted);
        double sum = 0;
        for (int i = 0; i < actual.Length; i++)
        {
            sum += Math.Abs(predicted[i] - actual[i]);
        }

        return sum / actual.Length;
    }

    /// <summary>
    /// Coefficient of determination <c>R² = 1 − Σ(y − ŷ)² / Σ(y − ȳ)²</c>: 1 for perfect predictions, 0 for always
    /// predicting the mean, negative for worse.
    /// </summary>
    /// <exception cref="ArgumentException">The actual values are all equal, so <c>R²</c> is undefined.</exception>
    public static double RSquared(ReadOnlySpan<double> actual, ReadOnlySpan<double> predicted)
    {
        CheckPairs(actual, predicted);
        double mean = 0;
        foreach (double value in actual)
        {
            mean += value;
        }

        mean /= actual.Length;
        double residual = 0;
        double total = 0;
        for (int i = 0; i < actual.Length; i++)
        {
            residual += (actual[i] - predicted[i]) * (actual[i] - predicted[i]);
            total += (actual[i] - mean) * (actual[i] - mean);
        }

        if (total == 0)
        {
            throw new ArgumentException($"R² is undefined: all {actual.Length} actual values equal {mean}, so there is no variance to explain.", nameof(actual));
        }

        return 1 - (residual / total);
    }

    /// <summary>Mean squared error over every element of two <c>outputs × samples</c> matrices.</summary>
    public static double MeanSquaredError<T>(Matrix<T> actual, Matrix<T> predicted)
        where T : unmanaged, IFloatingPointIeee754<T>
        => MeanSquaredError(Values(actual, predicted, nameof(actual)), Values(predicted, actual, nameof(predicted)));

    /// <summary>Mean absolute error over every element of two <c>outputs × samples</c> matrices.</summary>
    public static double MeanAbsoluteError<T>(Matrix<T> actual, Matrix<T> predicted)
        where T : unmanaged, IFloatingPointIeee754<T>
        => MeanAbsoluteError(Values(actual, predicted, nameof(actual)), Values(predicted, actual, nameof(predicted)));

    /// <summary><c>R²</c> of each output (row) over the samples, averaged over the outputs (scikit-learn's uniform average).</summary>
    public static double RSquared<T>(Matrix<T> actual, Matrix<T> predicted)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Values(actual, predicted, nameof(actual));
        double sum = 0;
        for (int output = 0; output < actual.RowCount; output++)
        {
            double[] y = [.. actual.Row(output).Select(double.CreateChecked)];
            double[] yHat = [.. predicted.Row(output).Select(double.CreateChecked)];
            sum += RSquared(y, yHat);
        }

        return sum / actual.RowCount;
    }

    private static double[] Values<T>(Matrix<T> matrix, Matrix<T> other, string parameterName)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(matrix, parameterName);
        ArgumentNullException.ThrowIfNull(other);
        if (matrix.RowCount != other.RowCount || matrix.ColumnCount != other.ColumnCount)
        {
            throw new ArgumentException(
                $"Actual and predicted values differ in shape: {matrix.RowCount} × {matrix.ColumnCount} and {other.RowCount} × {other.ColumnCount}.", parameterName);
        }

        return [.. DenseStorage.Of(matrix, parameterName).Select(double.CreateChecked)];
    }

    private static void CheckPairs(ReadOnlySpan<double> actual, ReadOnlySpan<double> predicted)
    {
        if (actual.Length != predicted.Length)
        {
            throw new ArgumentException($"{actual.Length} actual values but {predicted.Length} predictions.", nameof(predicted));
        }

        if (actual.Length == 0)
        {
            throw new ArgumentException("There are no values to score.", nameof(actual));
        }
    }
}
