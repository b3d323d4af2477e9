using System.Globalization;
using System.Text;

namespace NeuralNet.Metrics;

/// <summary>
/// Counts of (actual class, predicted class) pairs, with accuracy and per-class precision, recall and F1.
/// <c>this[a, p]</c> is the number of samples of class <c>a</c> predicted as <c>p</c>; the diagonal holds the hits.
/// </summary>
/// <example>
/// <code>
/// var confusion = new ConfusionMatrix(test.Labels!, network.PredictClass(test.Features), FashionMnist.ClassNames);
/// Console.WriteLine(confusion); // a table with class names, recall, precision and F1 per class
/// </code>
/// </example>
public sealed class ConfusionMatrix
{
    private readonly int[,] counts;
    private readonly string[] names;

    /// <summary>Counts the pairs, naming the classes.</summary>
    /// <param name="actual">The true class of each sample, each in <c>[0, classNames.Count)</c>.</param>
    /// <param name="predicted">The predicted class of each sample; same length.</param>
    /// <param name="classNames">One name per class; their number is the class count.</param>
    /// <exception cref="ArgumentException">Lengths differ or are 0, or a label is out of range (the message names the sample).</exception>
    public ConfusionMatrix(IReadOnlyList<int> actual, IReadOnlyList<int> predicted, IReadOnlyList<string> classNames)
    {
        ArgumentNullException.ThrowIfNull(classNames);
        Classification.CheckPairs(actual, predicted);
        if (classNames.Count == 0)
        {
            throw new ArgumentException("A confusion matrix needs at least one class.", nameof(classNames));
        }

        names = [.. classNames];
        int classes = names.Length;
        counts = new int[classes, classes];
        for (int i = 0; i < actual.Count; i++)
        {
            CheckLabel(actual[i], classes, i, nameof(actual));
            CheckLabel(predicted[i], classes, i, nameof(predicted));
            counts[actual[i], predicted[i]]++;
        }

        Total = actual.Count;
    }

    /// <summary>Counts the pairs, naming the classes by their index.</summary>
    /// <param name="actual">The true class of each sample, each in <c>[0, classCount)</c>.</param>
    /// <param name="predicted">The predicted class of each sample; same length.</param>
    /// <param name="classCount">Number of classes.</param>
    public ConfusionMatrix(IReadOnlyList<int> actual, IReadOnlyList<int> predicted, int classCount)
        : this(actual, predicted, [.. Enumerable.Range(0, CheckCount(classCount)).Select(c => c.ToString(CultureInfo.InvariantCulture))])
    {
    }

    /// <summary>Number of classes.</summary>
    public int ClassCount => names.Length;

    /// <summary>The class names, indexed by label.</summary>
    public IReadOnlyList<string> ClassNames => names;

    /// <summary>Number of samples counted.</summary>
    public int Total { get; }

    /// <summary>Number of samples predicted correctly (the trace).</summary>
    public int Correct => Enumerable.Range(0, ClassCount).Sum(c => counts[c, c]);

    /// <summary>Fraction predicted correctly: <c>Correct / Total</c>.</summary>
    public double Accuracy => (double)Correct / Total;

    /// <summary>The number of samples of class <paramref name="actual"/> predicted as <paramref name="predicted"/>.</summary>
    public int this[int actual, int predicted] => counts[actual, predicted];

    /// <summary>Number of samples whose actual class is <paramref name="classIndex"/> (row sum).</summary>
    public int Support(int classIndex) => Enumerable.Range(0, ClassCount).Sum(p => counts[classIndex, p]);

    /// <summary>Number of samples predicted as <paramref name="classIndex"/> (column sum).</summary>
    public int PredictedCount(int classIndex) => Enumerable.Range(0, ClassCount).Sum(a => counts[a, classIndex]);

    /// <summary>Precision, recall, F1 and support of one class (see <see cref="ClassMetrics"/> for the zero conventions).</summary>
    public ClassMetrics ForClass(int classIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(classIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(classIndex, ClassCount);
        int hits = counts[classIndex, classIndex];
        int support = Support(classIndex);
        int predictedCount = PredictedCount(classIndex);

        // A class never predicted (or never present) has no defined ratio; 0 is scikit-learn's zero_division default.
        double precision = predictedCount == 0 ? 0 : (double)hits / predictedCount;
        double recall = support == 0 ? 0 : (double)hits / support;
        double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        return new ClassMetrics(classIndex, names[classIndex], precision, recall, f1, support);
    }

    /// <summary>Precision, recall, F1 and support of every class, in label order.</summary>
    public IReadOnlyList<ClassMetrics> PerClass() => [.. Enumerable.Range(0, ClassCount).Select(ForClass)];

    /// <summary>The unweighted mean of the per-class F1 scores.</summary>
    public double MacroF1 => PerClass().Average(m => m.F1);

    /// <summary>
    /// The table: one row per actual class (index and name), one column per predicted class (index), then the
    /// class's recall, precision, F1 and support; accuracy below.
    /// </summary>
    public override string ToString()
    {
        var culture = CultureInfo.InvariantCulture;
        int labelWidth = names.Max(n => n.Length) + ClassCount.ToString(culture).Length + 1;
        int cellWidth = Math.Max(Total.ToString(culture).Length, (ClassCount - 1).ToString(culture).Length) + 1;
        var text = new StringBuilder();
        text.AppendLine("Confusion matrix (rows: actual class, columns: predicted class)");
        text.Append(' ', labelWidth);
        for (int p = 0; p < ClassCount; p++)
        {
            text.Append(p.ToString(culture).PadLeft(cellWidth));
        }

        text.AppendLine(" | recall precision     F1 support");
        for (int a = 0; a < ClassCount; a++)
        {
            text.Append($"{a.ToString(culture)} {names[a]}".PadRight(labelWidth));
            for (int p = 0; p < ClassCount; p++)
            {
                text.Append(counts[a, p].ToString(culture).PadLeft(cellWidth));
            }

            ClassMetrics metrics = ForClass(a);
            text.AppendLine(culture, $" | {metrics.Recall,6:F4} {metrics.Precision,9:F4} {metrics.F1,6:F4} {metrics.Support,7}");
        }

        text.Append(culture, $"accuracy {Accuracy:F4} ({Correct} of {Total}), macro F1 {MacroF1:F4}");
        return text.ToString();
    }

    private static int CheckCount(int classCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classCount);
        return classCount;
    }

    private static void CheckLabel(int label, int classes, int sample, string parameterName)
    {
        if (label < 0 || label >= classes)
        {
            throw new ArgumentOutOfRangeException(parameterName, label, $"Label {label} of sample {sample} is outside the {classes} classes [0, {classes - 1}].");
        }
    }
}
