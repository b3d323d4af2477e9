using System.Diagnostics.CodeAnalysis;
using MathNet.Numerics.LinearAlgebra;

// The batch-first ForClassification overloads keep the optional class count, as the matrix one has: they differ in the
// type of their first parameter (a matrix, a 2-D, jagged or flat array, a span), so no call binds to two of them, and
// none has shipped. RS0026 guards binary compatibility with an earlier overload set; it is reported on the matrix
// overload in Dataset.cs, and a member-scoped suppression of it is not honoured, so the scope is this one type.
[assembly: SuppressMessage(
    "ApiDesign",
    "RS0026:Do not add multiple public overloads with optional parameters",
    Justification = "The ForClassification overloads differ in the type of the features; none has shipped.",
    Scope = "type",
    Target = "~T:NeuralNet.Data.Dataset`1")]

namespace NeuralNet.Data;

/// <content>
/// Batch-first constructors: samples given <b>one per row</b>, <c>[samples, features]</c> (the first index is the
/// sample), as Keras, PyTorch, ML.NET and CSV files lay them out. A row-major <c>[samples, features]</c> block is
/// exactly the memory of the column-major <c>features × samples</c> matrix that <see cref="Features"/> is, so a 2-D or
/// jagged array or a span costs one copy, and a flat array none (it becomes the matrix's storage).
/// </content>
public sealed partial class Dataset<T>
{
    /// <summary>Creates a classification dataset from samples given one per row (one block copy).</summary>
    /// <param name="features">The inputs, <c>[samples, features]</c>: the first index is the sample.</param>
    /// <param name="labels">One class index in <c>[0, classCount)</c> per sample (row) (copied).</param>
    /// <param name="classCount">Number of classes; by default the largest label + 1.</param>
    /// <exception cref="ArgumentException">
    /// The row count is not the label count (an array that looks transposed, <c>[features, samples]</c>, says so), the
    /// array is empty, or a label is out of range.
    /// </exception>
    public static Dataset<T> ForClassification(T[,] features, IReadOnlyList<int> labels, int? classCount = null)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        CheckRows(features.GetLength(0), features.GetLength(1), labels.Count, "labels", nameof(features));
        return ForClassification(BatchFirstArrays.FromRectangular(features, "Dataset", nameof(features)), labels, classCount);
    }

    /// <summary>Creates a classification dataset from samples given one per array (a jagged array; copied).</summary>
    /// <param name="features">One array of features per sample, all of the same length.</param>
    /// <param name="labels">One class index in <c>[0, classCount)</c> per sample (copied).</param>
    /// <param name="classCount">Number of classes; by default the largest label + 1.</param>
    /// <exception cref="ArgumentException">
    /// A row is null or of another length than the others (the message names the row), the row count is not the label
    /// count (transposed input says so), or a label is out of range.
    /// </exception>
    public static Dataset<T> ForClassification(T[][] features, IReadOnlyList<int> labels, int? classCount = null)
    {
        ArgumentNullException.ThrowIfNull(labels);
        int length = BatchFirstArrays.RowLength(features, "Dataset", nameof(features));
        CheckRows(features.Length, length, labels.Count, "labels", nameof(features));
        return ForClassification(BatchFirstArrays.FromJagged(features, length), labels, classCount);
    }

    /// <summary>Creates a classification dataset from a flat batch-first block, copying it.</summary>
    /// <param name="features">
    /// <paramref name="sampleCount"/> samples one after another (<c>[samples, features]</c> in row-major order): sample
    /// <c>i</c> is <c>features[(i · n)..((i + 1) · n)]</c> with <c>n = features.Length / sampleCount</c>.
    /// </param>
    /// <param name="sampleCount">The number of samples; must divide the length.</param>
    /// <param name="labels">One class index per sample (copied).</param>
    /// <param name="classCount">Number of classes; by default the largest label + 1.</param>
    /// <exception cref="ArgumentException">The length is not a multiple of the sample count, the label count differs, or a label is out of range.</exception>
    public static Dataset<T> ForClassification(ReadOnlySpan<T> features, int sampleCount, IReadOnlyList<int> labels, int? classCount = null)
    {
        int n = BatchFirstArrays.ValuesPerSample(features.Length, sampleCount, "Dataset", nameof(features));
        return ForClassification(Matrix<T>.Build.Dense(n, sampleCount, features.ToArray()), labels, classCount);
    }

    /// <summary>
    /// Creates a classification dataset on a flat batch-first array <b>without copying it</b>: the array becomes the
    /// storage of <see cref="Features"/>, so later writes to the array change the dataset (and writes to
    /// <see cref="Features"/> change the array). Pass a copy, or use the <see cref="ReadOnlySpan{T}"/> overload, to avoid sharing.
    /// </summary>
    /// <param name="features">
    /// <paramref name="sampleCount"/> samples one after another (<c>[samples, features]</c> in row-major order); shared, not copied.
    /// </param>
    /// <param name="sampleCount">The number of samples; must divide the length.</param>
    /// <param name="labels">One class index per sample (copied).</param>
    /// <param name="classCount">Number of classes; by default the largest label + 1.</param>
    /// <exception cref="ArgumentException">The length is not a multiple of the sample count, the label count differs, or a label is out of range.</exception>
    public static Dataset<T> ForClassification(T[] features, int sampleCount, IReadOnlyList<int> labels, int? classCount = null)
    {
        ArgumentNullException.ThrowIfNull(features);
        int n = BatchFirstArrays.ValuesPerSample(features.Length, sampleCount, "Dataset", nameof(features));
        return ForClassification(BatchFirstArrays.Wrap(features, n, sampleCount), labels, classCount);
    }

    /// <summary>Creates a regression dataset from samples and targets given one per row (one block copy each).</summary>
    /// <param name="features">The inputs, <c>[samples, features]</c>: the first index is the sample.</param>
    /// <param name="targets">The targets, <c>[samples, outputs]</c>, one row per sample.</param>
    /// <exception cref="ArgumentException">The row counts differ (an array that looks transposed says so), or an array is empty.</exception>
    public static Dataset<T> ForRegression(T[,] features, T[,] targets)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(targets);
        CheckRegressionRows(features.GetLength(0), features.GetLength(1), targets.GetLength(0), targets.GetLength(1));
        return ForRegression(
            BatchFirstArrays.FromRectangular(features, "Dataset", nameof(features)),
            BatchFirstArrays.FromRectangular(targets, "Dataset", nameof(targets)));
    }

    /// <summary>Creates a regression dataset from samples and targets given one per array (jagged arrays; copied).</summary>
    /// <param name="features">One array of features per sample, all of the same length.</param>
    /// <param name="targets">One array of targets per sample, all of the same length.</param>
    /// <exception cref="ArgumentException">A row is null or of another length than the others (the message names the row), or the counts differ.</exception>
    public static Dataset<T> ForRegression(T[][] features, T[][] targets)
    {
        int featureCount = BatchFirstArrays.RowLength(features, "Dataset", nameof(features));
        int outputCount = BatchFirstArrays.RowLength(targets, "Dataset", nameof(targets));
        CheckRegressionRows(features.Length, featureCount, targets.Length, outputCount);
        return ForRegression(BatchFirstArrays.FromJagged(features, featureCount), BatchFirstArrays.FromJagged(targets, outputCount));
    }

    /// <summary>Creates a regression dataset from flat batch-first blocks, copying them.</summary>
    /// <param name="features"><paramref name="sampleCount"/> samples one after another (<c>[samples, features]</c> in row-major order).</param>
    /// <param name="targets"><paramref name="sampleCount"/> target rows one after another (<c>[samples, outputs]</c>; for one output per sample, just the targets).</param>
    /// <param name="sampleCount">The number of samples; must divide both lengths.</param>
    /// <exception cref="ArgumentException">A length is not a multiple of the sample count.</exception>
    public static Dataset<T> ForRegression(ReadOnlySpan<T> features, ReadOnlySpan<T> targets, int sampleCount)
    {
        int n = BatchFirstArrays.ValuesPerSample(features.Length, sampleCount, "Dataset", nameof(features));
        int outputs = BatchFirstArrays.ValuesPerSample(targets.Length, sampleCount, "Dataset", nameof(targets));
        return ForRegression(Matrix<T>.Build.Dense(n, sampleCount, features.ToArray()), Matrix<T>.Build.Dense(outputs, sampleCount, targets.ToArray()));
    }

    /// <summary>
    /// Creates a regression dataset on flat batch-first arrays <b>without copying them</b>: they become the storage of
    /// <see cref="Features"/> and <see cref="Targets"/>, so later writes to either side show in the other. Pass copies,
    /// or use the <see cref="ReadOnlySpan{T}"/> overload, to avoid sharing.
    /// </summary>
    /// <param name="features"><paramref name="sampleCount"/> samples one after another (<c>[samples, features]</c> in row-major order); shared, not copied.</param>
    /// <param name="targets"><paramref name="sampleCount"/> target rows one after another (<c>[samples, outputs]</c>); shared, not copied.</param>
    /// <param name="sampleCount">The number of samples; must divide both lengths.</param>
    /// <exception cref="ArgumentException">A length is not a multiple of the sample count.</exception>
    public static Dataset<T> ForRegression(T[] features, T[] targets, int sampleCount)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(targets);
        int n = BatchFirstArrays.ValuesPerSample(features.Length, sampleCount, "Dataset", nameof(features));
        int outputs = BatchFirstArrays.ValuesPerSample(targets.Length, sampleCount, "Dataset", nameof(targets));
        return ForRegression(BatchFirstArrays.Wrap(features, n, sampleCount), BatchFirstArrays.Wrap(targets, outputs, sampleCount));
    }

    /// <summary>Refuses a <c>[rows, columns]</c> block whose row count is not the sample count, saying so when it looks transposed.</summary>
    private static void CheckRows(int rows, int columns, int samples, string what, string parameterName)
    {
        if (rows == samples)
        {
            return;
        }

        string got = BatchFirstArrays.Dimensions(rows, columns);
        throw new ArgumentException(
            columns == samples
                ? $"Dataset: the features look transposed: got {got} for {samples} {what}; pass [samples, features], one sample per row."
                : $"Dataset: got {got}, {rows} samples (one per row), but {samples} {what}.",
            parameterName);
    }

    private static void CheckRegressionRows(int samples, int features, int targetRows, int outputs)
    {
        if (samples == targetRows)
        {
            return;
        }

        string got = $"features {BatchFirstArrays.Dimensions(samples, features)} and targets {BatchFirstArrays.Dimensions(targetRows, outputs)}";
        (string message, string parameter) = (samples, features, targetRows, outputs) switch
        {
            _ when outputs == samples => ($"Dataset: the targets look transposed: got {got}; pass [samples, outputs], one sample per row.", "targets"),
            _ when features == targetRows => ($"Dataset: the features look transposed: got {got}; pass [samples, features], one sample per row.", "features"),
            _ => ($"Dataset: got {got}: {samples} samples but {targetRows} target rows; one sample per row in both.", "targets"),
        };
        throw new ArgumentException(message, parameter);
    }
}
