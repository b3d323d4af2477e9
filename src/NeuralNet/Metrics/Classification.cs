namespace NeuralNet.Metrics;

/// <summary>Metrics of predicted class labels against the true ones.</summary>
public static class Classification
{
    /// <summary>Fraction of samples whose predicted class equals the actual one.</summary>
    /// <param name="actual">The true class of each sample.</param>
    /// <param name="predicted">The predicted class of each sample; same length.</param>
    /// <exception cref="ArgumentException">The lengths differ or are 0.</exception>
    public static double Accuracy(IReadOnlyList<int> actual, IReadOnlyList<int> predicted)
    {
        CheckPairs(actual, predicted);
        int correct = 0;
        for (int i = 0; i < actual.Count; i++)
        {
            if (actual[i] == predicted[i])
            {
                correct++;
            }
        }

        return (double)correct / actual.Count;
    }

    internal static void CheckPairs(IReadOnlyList<int> actual, IReadOnlyList<int> predicted)
    {
        ArgumentNullException.ThrowIfNull(actual);
        ArgumentNullException.ThrowIfNull(predicted);
        if (actual.Count != predicted.Count)
        {
            throw new ArgumentException($"{actual.Count} actual labels but {predicted.Count} predictions.", nameof(predicted));
        }

        if (actual.Count == 0)
        {
            throw new ArgumentException("There are no samples to score.", nameof(actual));
        }
    }
}
