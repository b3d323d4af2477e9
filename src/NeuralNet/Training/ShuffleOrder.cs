using NeuralNet.Data;

namespace NeuralNet.Training;

/// <summary>
/// The order in which an epoch visits the training samples: a permutation drawn from <c>System.Random(seed)</c> for
/// epoch 1 and reshuffled in place before every later epoch, or the identity without shuffling.
/// </summary>
/// <remarks>
/// System.Random's state cannot be saved, so asking for a later epoch first (as a resumed run does) replays the
/// shuffles of the epochs before it: cheap (one pass over the indices per epoch) and exactly the orders the
/// uninterrupted run used.
/// </remarks>
internal sealed class ShuffleOrder
{
    private readonly Random? random;
    private readonly int[] order;
    private int epoch = 1;

    public ShuffleOrder(int count, int seed, bool shuffle)
    {
        if (shuffle)
        {
            random = new Random(seed);
            order = Dataset<float>.Permutation(count, random);
        }
        else
        {
            order = [.. Enumerable.Range(0, count)];
        }
    }

    /// <summary>The sample order of <paramref name="target"/> (epochs are asked for in increasing order).</summary>
    public ReadOnlySpan<int> ForEpoch(int target)
    {
        for (; random is not null && epoch < target; epoch++)
        {
            random.Shuffle(order);
        }

        return order;
    }
}
