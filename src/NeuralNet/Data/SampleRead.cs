namespace NeuralNet.Data;

/// <summary>The argument checks every <see cref="IDataSource{T}.ReadSamples"/> of the library makes, with the same messages.</summary>
internal static class SampleRead
{
    /// <exception cref="ArgumentException">A destination is shorter than <paramref name="count"/> samples need.</exception>
    public static void CheckDestinations<T>(int count, int featureCount, int classCount, int targetCount, Span<T> features, Span<int> labels, Span<T> targets)
    {
        if (features.Length < (long)count * featureCount)
        {
            throw new ArgumentException($"ReadSamples: {count} samples of {featureCount} features need {(long)count * featureCount} values, the destination has {features.Length}.", nameof(features));
        }

        if (classCount > 0 && labels.Length < count)
        {
            throw new ArgumentException($"ReadSamples: {count} samples need {count} labels, the destination has {labels.Length}.", nameof(labels));
        }

        if (targetCount > 0 && targets.Length < (long)count * targetCount)
        {
            throw new ArgumentException($"ReadSamples: {count} samples of {targetCount} targets need {(long)count * targetCount} values, the destination has {targets.Length}.", nameof(targets));
        }
    }

    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is outside <c>[0, count)</c>.</exception>
    public static void CheckIndex(int index, int count, string parameterName)
    {
        if ((uint)index >= (uint)count)
        {
            throw new ArgumentOutOfRangeException(parameterName, index, $"ReadSamples: sample index {index} is outside [0, {count}).");
        }
    }
}
