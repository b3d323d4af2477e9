using NeuralNet.Training;

namespace NeuralNet.Data;

/// <content>Class names, non-nullable labels and stratified splits of classification datasets.</content>
public sealed partial class Dataset<T>
{
    /// <summary>
    /// The name of each class, index by index (e.g. <c>["setosa", "versicolor", "virginica"]</c>), or
    /// <see langword="null"/> when the classes have no names. <c>CsvLoader</c> (the NeuralNet.Data package) sets them from a label column of
    /// names; <see cref="WithClassNames"/> gives them; subsets and splits keep them. A <see cref="Trainer{T}"/> gives them
    /// to a network that has none (<see cref="Network{T}.ClassNames"/>).
    /// </summary>
    public IReadOnlyList<string>? ClassNames { get; private init; }

    /// <summary>
    /// The class index of each sample, as <see cref="Labels"/> but never <see langword="null"/>: the labels to compare
    /// with <see cref="Network{T}.PredictClass(MathNet.Numerics.LinearAlgebra.Matrix{T})"/> without a null check.
    /// </summary>
    /// <exception cref="InvalidOperationException">The dataset is a regression dataset (it has <see cref="Targets"/>, not labels).</exception>
    public IReadOnlyList<int> ClassLabels =>
        Labels ?? throw new InvalidOperationException($"This is a regression dataset ({Targets!.RowCount} targets per sample): it has no class labels.");

    /// <summary>The same samples and labels (shared, not copied) with names for the classes.</summary>
    /// <param name="classNames">
    /// One name per class (<see cref="ClassCount"/> of them), in class-index order: each 1 to 1,024 bytes of UTF-8, no
    /// two equal (ordinal comparison). Copied.
    /// </param>
    /// <exception cref="InvalidOperationException">The dataset is a regression dataset.</exception>
    /// <exception cref="ArgumentException">The count differs from <see cref="ClassCount"/>, or a name is empty, null, too long, not encodable in UTF-8 or repeated.</exception>
    public Dataset<T> WithClassNames(IReadOnlyList<string> classNames)
    {
        if (!IsClassification)
        {
            throw new InvalidOperationException("Dataset: a regression dataset has no classes to name.");
        }

        string[] names = ClassNameRules.Checked(classNames, "Dataset", nameof(classNames));
        if (names.Length != ClassCount)
        {
            throw new ArgumentException($"Dataset: {names.Length} class names for {ClassCount} classes.", nameof(classNames));
        }

        return new Dataset<T>(Features, LabelArray, null, ClassCount) { ClassNames = names };
    }

    /// <summary>
    /// Splits the samples at random into two datasets; with <paramref name="stratify"/>, each class is split in the same
    /// proportion, so both parts keep the class proportions of the whole (scikit-learn's <c>stratify=y</c>).
    /// </summary>
    /// <remarks>
    /// Stratified: the first part has <c>round(Count · firstFraction)</c> samples, as without stratifying; each class
    /// gives it <c>⌊nₖ · firstFraction⌋</c> of its <c>nₖ</c> samples, and the samples still missing come one each from the
    /// classes with the largest remainders (ties to the lower class index). Which samples of a class go first is a seeded
    /// permutation, and each part is then put in a seeded random order, so the classes are mixed. The same seed gives the
    /// same split.
    /// </remarks>
    /// <param name="firstFraction">Fraction of samples for the first part, in (0, 1).</param>
    /// <param name="seed">Seed of the permutations.</param>
    /// <param name="stratify">Whether to keep the class proportions; <see langword="false"/> is <see cref="Split(double, int)"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">The fraction is outside (0, 1).</exception>
    /// <exception cref="InvalidOperationException">Stratifying a regression dataset (it has no classes).</exception>
    public (Dataset<T> First, Dataset<T> Second) Split(double firstFraction, int seed, bool stratify)
    {
        if (!stratify)
        {
            return Split(firstFraction, seed);
        }

        if (!(firstFraction > 0 && firstFraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(firstFraction), firstFraction, "Dataset: the split fraction must be in (0, 1).");
        }

        var random = new Random(seed);
        List<int>[] classes = ShuffledClasses(random);
        int[] firstCounts = Allocate([.. classes.Select(c => c.Count)], firstFraction, (int)Math.Round(Count * firstFraction));
        var first = new List<int>();
        var second = new List<int>();
        for (int k = 0; k < classes.Length; k++)
        {
            first.AddRange(classes[k].Take(firstCounts[k]));
            second.AddRange(classes[k].Skip(firstCounts[k]));
        }

        return (Subset(Mixed(first, random)), Subset(Mixed(second, random)));
    }

    /// <summary>
    /// Splits the samples at random into training, validation and test sets; with <paramref name="stratify"/>, each
    /// class is split in the same proportions (as <see cref="Split(double, int, bool)"/>: the part sizes are those of
    /// <see cref="Split(double, double, int)"/>, each class gives its share rounded down, the remainders go to the
    /// classes with the largest fractions).
    /// </summary>
    /// <param name="trainingFraction">Fraction for training, in (0, 1).</param>
    /// <param name="validationFraction">Fraction for validation, in (0, 1); the two fractions must leave some samples for testing.</param>
    /// <param name="seed">Seed of the permutations.</param>
    /// <param name="stratify">Whether to keep the class proportions; <see langword="false"/> is <see cref="Split(double, double, int)"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">A fraction is out of range, or a part would be empty.</exception>
    /// <exception cref="InvalidOperationException">Stratifying a regression dataset (it has no classes).</exception>
    public (Dataset<T> Training, Dataset<T> Validation, Dataset<T> Test) Split(double trainingFraction, double validationFraction, int seed, bool stratify)
    {
        if (!stratify)
        {
            return Split(trainingFraction, validationFraction, seed);
        }

        // The unstratified split checks the fractions and the part sizes, which stratifying keeps.
        _ = Split(trainingFraction, validationFraction, seed);
        int trainingCount = (int)Math.Round(Count * trainingFraction);
        int validationCount = (int)Math.Round(Count * validationFraction);
        var random = new Random(seed);
        List<int>[] classes = ShuffledClasses(random);
        int[] trainingCounts = Allocate([.. classes.Select(c => c.Count)], trainingFraction, trainingCount);

        // The validation share is taken from what each class has left, in proportion to its whole size.
        int[] validationCounts = Allocate([.. classes.Select((c, k) => c.Count - trainingCounts[k])], validationFraction, validationCount, [.. classes.Select(c => c.Count)]);
        var training = new List<int>();
        var validation = new List<int>();
        var test = new List<int>();
        for (int k = 0; k < classes.Length; k++)
        {
            training.AddRange(classes[k].Take(trainingCounts[k]));
            validation.AddRange(classes[k].Skip(trainingCounts[k]).Take(validationCounts[k]));
            test.AddRange(classes[k].Skip(trainingCounts[k] + validationCounts[k]));
        }

        return (Subset(Mixed(training, random)), Subset(Mixed(validation, random)), Subset(Mixed(test, random)));
    }

    /// <summary>The sample indices of each class, each list in a seeded random order.</summary>
    private List<int>[] ShuffledClasses(Random random)
    {
        int[] labels = LabelArray ?? throw new InvalidOperationException("Dataset: a regression dataset has no classes to stratify by; split it with stratify: false.");
        var classes = new List<int>[ClassCount];
        for (int k = 0; k < classes.Length; k++)
        {
            classes[k] = [];
        }

        foreach (int j in Permutation(Count, random))
        {
            classes[labels[j]].Add(j);
        }

        return classes;
    }

    /// <summary>
    /// How many samples each class gives a part of <paramref name="total"/> samples: <c>⌊sizeₖ · fraction⌋</c>, capped at
    /// what the class has left, then one more each for the classes with the largest remainders until the total is met.
    /// </summary>
    private static int[] Allocate(int[] available, double fraction, int total, int[]? sizes = null)
    {
        sizes ??= available;
        var counts = new int[available.Length];
        var remainders = new double[available.Length];
        for (int k = 0; k < available.Length; k++)
        {
            double share = sizes[k] * fraction;
            counts[k] = Math.Min((int)Math.Floor(share), available[k]);
            remainders[k] = share - counts[k];
        }

        int missing = total - counts.Sum();
        foreach (int k in Enumerable.Range(0, available.Length).OrderByDescending(k => remainders[k]).ThenBy(k => k))
        {
            if (missing <= 0)
            {
                break;
            }

            int more = Math.Min(1, available[k] - counts[k]);
            counts[k] += more;
            missing -= more;
        }

        // Rare: classes too small for one each; fill from whatever classes have samples left.
        for (int k = 0; k < available.Length && missing > 0; k++)
        {
            int more = Math.Min(missing, available[k] - counts[k]);
            counts[k] += more;
            missing -= more;
        }

        return counts;
    }

    /// <summary>The indices in a seeded random order, so a part's classes are mixed.</summary>
    private static int[] Mixed(List<int> indices, Random random)
    {
        int[] order = [.. indices];
        random.Shuffle(order);
        return order;
    }
}
