using System.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace NeuralNet.Data;

/// <summary>
/// Samples for training or evaluation: a <c>features × samples</c> matrix (one sample per column) with either
/// class-index labels (classification) or a <c>outputs × samples</c> target matrix (regression).
/// </summary>
/// <typeparam name="T">Element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed partial class Dataset<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private Dataset(Matrix<T> features, int[]? labels, Matrix<T>? targets, int classCount)
    {
        Features = features;
        Labels = labels;
        Targets = targets;
        ClassCount = classCount;
    }

    /// <summary>The inputs, <c>features × samples</c>.</summary>
    public Matrix<T> Features { get; }

    /// <summary>Class index of each sample, or <see langword="null"/> for a regression dataset.</summary>
    public IReadOnlyList<int>? Labels { get; }

    /// <summary>Target values, <c>outputs × samples</c>, or <see langword="null"/> for a classification dataset.</summary>
    public Matrix<T>? Targets { get; }

    /// <summary>Number of classes (0 for a regression dataset).</summary>
    public int ClassCount { get; }

    /// <summary>Whether the dataset has class labels (then <see cref="Labels"/> is not <see langword="null"/>).</summary>
    [System.Diagnostics.CodeAnalysis.MemberNotNullWhen(true, nameof(Labels))]
    public bool IsClassification => Labels is not null;

    /// <summary>Number of samples.</summary>
    public int Count => Features.ColumnCount;

    /// <summary>Number of input features per sample.</summary>
    public int FeatureCount => Features.RowCount;

    internal int[]? LabelArray => (int[]?)Labels;

    /// <summary>Creates a classification dataset.</summary>
    /// <param name="features">The inputs, <c>features × samples</c> (dense; not copied).</param>
    /// <param name="labels">One class index in <c>[0, classCount)</c> per sample (copied).</param>
    /// <param name="classCount">Number of classes; by default the largest label + 1.</param>
    /// <exception cref="ArgumentException">Counts differ, or a label is out of range (the message names the sample).</exception>
    public static Dataset<T> ForClassification(Matrix<T> features, IReadOnlyList<int> labels, int? classCount = null)
    {
        CheckFeatures(features);
        ArgumentNullException.ThrowIfNull(labels);
        if (labels.Count != features.ColumnCount)
        {
            throw new ArgumentException(
                $"Dataset: {labels.Count} labels for {features.ColumnCount} samples (features are {features.RowCount} × {features.ColumnCount}, one sample per column).",
                nameof(labels));
        }

        int[] copy = [.. labels];
        int largest = copy.Length == 0 ? -1 : copy.Max();
        if (classCount is null && largest == int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(
                nameof(labels), largest, $"Dataset: label {largest} of sample {Array.IndexOf(copy, largest)} is too large: the class count (largest label + 1) would not fit in an int.");
        }

        int classes = classCount ?? largest + 1;
        for (int j = 0; j < copy.Length; j++)
        {
            if (copy[j] < 0 || copy[j] >= classes)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(labels), copy[j], $"Dataset: label {copy[j]} of sample {j} is outside the {classes} classes [0, {classes - 1}].");
            }
        }

        return new Dataset<T>(features, copy, null, classes);
    }

    /// <summary>Creates a regression dataset.</summary>
    /// <param name="features">The inputs, <c>features × samples</c> (dense; not copied).</param>
    /// <param name="targets">The targets, <c>outputs × samples</c> (dense; not copied).</param>
    public static Dataset<T> ForRegression(Matrix<T> features, Matrix<T> targets)
    {
        CheckFeatures(features);
        ArgumentNullException.ThrowIfNull(targets);
        if (targets.ColumnCount != features.ColumnCount)
        {
            throw new ArgumentException(
                $"Dataset: targets are {targets.RowCount} × {targets.ColumnCount} but there are {features.ColumnCount} samples (one per column).",
                nameof(targets));
        }

        if (targets.AsColumnMajorArray() is null)
        {
            throw new ArgumentException("Dataset: targets must be a dense matrix.", nameof(targets));
        }

        return new Dataset<T>(features, null, targets, 0);
    }

    /// <summary>
    /// The same samples with other features (e.g. scaled ones) and the same labels or targets; the label array and
    /// target matrix are shared, not copied.
    /// </summary>
    /// <param name="features">The new inputs, <c>features × samples</c> with one column per sample of this dataset.</param>
    /// <exception cref="ArgumentException">The number of samples differs.</exception>
    public Dataset<T> WithFeatures(Matrix<T> features)
    {
        CheckFeatures(features);
        if (features.ColumnCount != Count)
        {
            throw new ArgumentException(
                $"Dataset: the new features have {features.ColumnCount} samples (columns) but the dataset has {Count}.", nameof(features));
        }

        return new Dataset<T>(features, LabelArray, Targets, ClassCount) { ClassNames = ClassNames };
    }

    /// <summary>A new dataset holding copies of the given samples, in the given order.</summary>
    /// <param name="indices">Sample indices; each in <c>[0, Count)</c>.</param>
    public Dataset<T> Subset(IReadOnlyList<int> indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        Matrix<T> features = Matrix<T>.Build.Dense(FeatureCount, indices.Count);
        SampleCopy.Columns(Features, indices, features);
        if (LabelArray is int[] labels)
        {
            int[] picked = new int[indices.Count];
            for (int j = 0; j < picked.Length; j++)
            {
                picked[j] = labels[indices[j]];
            }

            return new Dataset<T>(features, picked, null, ClassCount) { ClassNames = ClassNames };
        }

        Matrix<T> targets = Matrix<T>.Build.Dense(Targets!.RowCount, indices.Count);
        SampleCopy.Columns(Targets, indices, targets);
        return new Dataset<T>(features, null, targets, 0);
    }

    /// <summary>
    /// Splits the samples at random into two datasets: a seeded permutation, then the first
    /// <c>round(Count · firstFraction)</c> samples go to the first part.
    /// </summary>
    /// <param name="firstFraction">Fraction of samples for the first part, in (0, 1).</param>
    /// <param name="seed">Seed of the permutation; the same seed gives the same split.</param>
    public (Dataset<T> First, Dataset<T> Second) Split(double firstFraction, int seed)
    {
        if (!(firstFraction > 0 && firstFraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(firstFraction), firstFraction, "Dataset: the split fraction must be in (0, 1).");
        }

        int[] order = Permutation(Count, new Random(seed));
        int firstCount = (int)Math.Round(Count * firstFraction);
        return (Subset(order[..firstCount]), Subset(order[firstCount..]));
    }

    /// <summary>
    /// Splits the samples at random into training, validation and test sets: one seeded permutation, then the first
    /// <c>round(Count · trainingFraction)</c> samples for training, the next <c>round(Count · validationFraction)</c>
    /// for validation and the rest for testing.
    /// </summary>
    /// <param name="trainingFraction">Fraction for training, in (0, 1).</param>
    /// <param name="validationFraction">Fraction for validation, in (0, 1); the two fractions must leave some samples for testing.</param>
    /// <param name="seed">Seed of the permutation; the same seed gives the same split.</param>
    /// <exception cref="ArgumentOutOfRangeException">A fraction is out of range, or a part would be empty.</exception>
    public (Dataset<T> Training, Dataset<T> Validation, Dataset<T> Test) Split(double trainingFraction, double validationFraction, int seed)
    {
        if (!(trainingFraction > 0 && validationFraction > 0 && trainingFraction + validationFraction < 1))
        {
            throw new ArgumentOutOfRangeException(
                nameof(validationFraction), $"Dataset: the training ({trainingFraction}) and validation ({validationFraction}) fractions must be positive and sum to less than 1.");
        }

        int trainingCount = (int)Math.Round(Count * trainingFraction);
        int validationCount = (int)Math.Round(Count * validationFraction);
        if (trainingCount == 0 || validationCount == 0 || trainingCount + validationCount >= Count)
        {
            throw new ArgumentOutOfRangeException(
                nameof(validationFraction), $"Dataset: splitting {Count} samples into {trainingCount} training, {validationCount} validation and {Count - trainingCount - validationCount} test samples leaves a part empty.");
        }

        int[] order = Permutation(Count, new Random(seed));
        return (Subset(order[..trainingCount]), Subset(order[trainingCount..(trainingCount + validationCount)]), Subset(order[(trainingCount + validationCount)..]));
    }

    /// <summary>A copy of the dataset with its samples in a seeded random order.</summary>
    /// <param name="seed">Seed of the permutation; the same seed gives the same order.</param>
    public Dataset<T> Shuffle(int seed) => Subset(Permutation(Count, new Random(seed)));

    /// <summary>A random permutation of <c>0 … count−1</c> (Fisher–Yates) drawn from <paramref name="random"/>.</summary>
    internal static int[] Permutation(int count, Random random)
    {
        int[] order = new int[count];
        for (int i = 0; i < count; i++)
        {
            order[i] = i;
        }

        random.Shuffle(order);
        return order;
    }

    private static void CheckFeatures(Matrix<T> features)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (features.AsColumnMajorArray() is null)
        {
            throw new ArgumentException("Dataset: features must be a dense matrix (features × samples).", nameof(features));
        }
    }
}
