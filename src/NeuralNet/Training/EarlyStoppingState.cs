using System.Numerics;
using NeuralNet.Serialization;

namespace NeuralNet.Training;

/// <summary>
/// Early stopping's progress as a checkpoint stores it (docs/model-format.md, "Trainer state"): the best monitored
/// value, its epoch (0 = none yet), the epochs since, and the best epoch's model state if it is kept.
/// </summary>
/// <param name="Best">The best monitored value so far.</param>
/// <param name="BestEpoch">The epoch of <paramref name="Best"/>, from 1; 0 when no epoch has been seen.</param>
/// <param name="EpochsWithoutImprovement">Epochs since the best one.</param>
/// <param name="BestWeights">One array per model-state slot (<see cref="ModelStateSlots"/>), or <see langword="null"/> without <see cref="EarlyStopping.RestoreBestWeights"/>.</param>
internal sealed record EarlyStoppingState<T>(double Best, int BestEpoch, int EpochsWithoutImprovement, T[][]? BestWeights)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public void Write(PayloadWriter writer)
    {
        writer.WriteDouble(Best);
        writer.WriteCount(BestEpoch);
        writer.WriteCount(EpochsWithoutImprovement);
        writer.WriteByte(BestWeights is null ? (byte)0 : (byte)1);
        foreach (T[] weights in BestWeights ?? [])
        {
            writer.WriteCount(weights.Length);
            writer.WriteElements<T>(weights);
        }
    }

    /// <summary>Reads what <see cref="Write"/> wrote for a network whose model-state slots have <paramref name="slotLengths"/>.</summary>
    /// <exception cref="ArgumentException">The stored best weights do not fit those slots (a different network).</exception>
    public static EarlyStoppingState<T> Read(PayloadReader reader, IReadOnlyList<int> slotLengths)
    {
        double best = reader.ReadDouble("early-stopping best value");
        int bestEpoch = reader.ReadCount("early-stopping best epoch", 0, int.MaxValue);
        int waited = reader.ReadCount("early-stopping epochs without improvement", 0, int.MaxValue);
        if (!TrainerState.ReadFlag(reader, "early-stopping best-weights flag"))
        {
            return new EarlyStoppingState<T>(best, bestEpoch, waited, null);
        }

        var weights = new T[slotLengths.Count][];
        for (int p = 0; p < weights.Length; p++)
        {
            int length = reader.ReadCount($"early-stopping best weights of slot {p}: length", 0, int.MaxValue);
            if (length != slotLengths[p])
            {
                throw new ArgumentException($"The checkpoint's best weights of slot {p} have {length} values, the network's slot {slotLengths[p]}.", "checkpoint");
            }

            weights[p] = new T[length];
            reader.ReadElements<T>(weights[p], $"early-stopping best weights of slot {p}");
        }

        return new EarlyStoppingState<T>(best, bestEpoch, waited, weights);
    }
}
