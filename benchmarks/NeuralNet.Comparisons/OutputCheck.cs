namespace NeuralNet.Comparisons;

/// <summary>Fails loudly when two libraries do not compute the same outputs for the same weights and inputs.</summary>
internal static class OutputCheck
{
    /// <summary>Relative tolerance per output: float32 sums in different orders, over up to 3,136 terms.</summary>
    public const double Tolerance = 1e-4;

    /// <summary>The largest |a − b| / (1 + |a|) over the outputs.</summary>
    public static double WorstError(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual)
    {
        double worst = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            double error = Math.Abs(expected[i] - (double)actual[i]) / (1 + Math.Abs(expected[i]));
            worst = double.IsNaN(error) ? double.PositiveInfinity : Math.Max(worst, error);
        }

        return worst;
    }

    /// <exception cref="InvalidOperationException">The lengths differ or an output is off by more than <see cref="Tolerance"/>.</exception>
    public static double Equal(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string what)
    {
        if (expected.Length != actual.Length)
        {
            throw new InvalidOperationException($"OUTPUT CHECK FAILED: {what} gives {actual.Length} outputs, NeuralNet {expected.Length}.");
        }

        double worst = WorstError(expected, actual);
        if (!(worst <= Tolerance))
        {
            int at = 0;
            for (int i = 0; i < expected.Length; i++)
            {
                if (Math.Abs(expected[i] - actual[i]) / (1 + Math.Abs(expected[i])) >= worst)
                {
                    at = i;
                    break;
                }
            }

            throw new InvalidOperationException(
                $"OUTPUT CHECK FAILED: {what} differs from NeuralNet by {worst:G3} (relative, tolerance {Tolerance:G1}); first worst output #{at}: NeuralNet {expected[at]}, other {actual[at]}.");
        }

        Console.WriteLine($"// output check: {what} equals NeuralNet within {worst:G3} (tolerance {Tolerance:G1})");
        return worst;
    }
}
