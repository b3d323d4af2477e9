using System.Numerics;
using NeuralNet.Serialization;

namespace NeuralNet.Training;

/// <summary>
/// Follows the monitored metric epoch by epoch and keeps a copy of the best epoch's model state: the weights and the
/// non-trainable buffers such as batch-norm running statistics (see <see cref="ModelStateSlots"/>).
/// </summary>
internal sealed class EarlyStoppingTracker<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly EarlyStopping rule;
    private readonly IReadOnlyList<Memory<T>> slots;
    private readonly T[][]? bestWeights;
    private double best = double.NaN;
    private int epochsWithoutImprovement;

    public EarlyStoppingTracker(EarlyStopping rule, IReadOnlyList<Memory<T>> slots)
    {
        this.rule = rule;
        this.slots = slots;
        if (rule.RestoreBestWeights)
        {
            bestWeights = new T[slots.Count][];
            for (int p = 0; p < slots.Count; p++)
            {
                bestWeights[p] = new T[slots[p].Length];
            }
        }
    }

    /// <summary>The epoch with the best value so far, or <see langword="null"/> before the first.</summary>
    public int? BestEpoch { get; private set; }

    /// <summary>Records an epoch; returns <see langword="true"/> when training should stop.</summary>
    public bool Update(EpochResult result)
    {
        double value = rule.Monitor switch
        {
            MonitoredMetric.ValidationLoss => result.ValidationLoss!.Value,
            MonitoredMetric.ValidationAccuracy => result.ValidationAccuracy!.Value,
            _ => result.TrainingLoss,
        };
        bool higherIsBetter = rule.Monitor == MonitoredMetric.ValidationAccuracy;
        bool improved = BestEpoch is null
            || (higherIsBetter ? value > best + rule.MinDelta : value < best - rule.MinDelta);
        if (improved)
        {
            best = value;
            BestEpoch = result.Epoch;
            epochsWithoutImprovement = 0;
            if (bestWeights is not null)
            {
                for (int p = 0; p < slots.Count; p++)
                {
                    slots[p].Span.CopyTo(bestWeights[p]);
                }
            }

            return false;
        }

        epochsWithoutImprovement++;
        return epochsWithoutImprovement >= rule.Patience;
    }

    /// <summary>Writes the progress (best value and epoch, epochs without improvement, best weights) for a checkpoint.</summary>
    public void WriteState(PayloadWriter writer)
    {
        writer.WriteDouble(best);
        writer.WriteCount(BestEpoch ?? 0);
        writer.WriteCount(epochsWithoutImprovement);
        writer.WriteByte(bestWeights is null ? (byte)0 : (byte)1);
        if (bestWeights is not null)
        {
            foreach (T[] weights in bestWeights)
            {
                writer.WriteCount(weights.Length);
                writer.WriteElements<T>(weights);
            }
        }
    }

    /// <summary>Reads what <see cref="WriteState"/> wrote, validating all of it before changing anything.</summary>
    /// <exception cref="ArgumentException">The state was written for a different rule or network.</exception>
    public void ReadState(PayloadReader reader)
    {
        double value = reader.ReadDouble("early-stopping best value");
        int epoch = reader.ReadCount("early-stopping best epoch", 0, int.MaxValue);
        int waited = reader.ReadCount("early-stopping epochs without improvement", 0, int.MaxValue);
        bool hasWeights = reader.ReadByte("early-stopping best-weights flag") switch
        {
            0 => false,
            1 => true,
            byte other => throw reader.Error($"early-stopping best-weights flag is {other}; it must be 0 or 1"),
        };
        if (hasWeights != (bestWeights is not null))
        {
            throw new ArgumentException(
                $"The checkpoint was made with RestoreBestWeights = {hasWeights}, the trainer's early stopping has {bestWeights is not null}.");
        }

        T[][]? weights = null;
        if (hasWeights)
        {
            weights = new T[slots.Count][];
            for (int p = 0; p < slots.Count; p++)
            {
                int length = reader.ReadCount($"early-stopping best weights of slot {p}: length", 0, int.MaxValue);
                if (length != slots[p].Length)
                {
                    throw new ArgumentException($"The checkpoint's best weights of slot {p} have {length} values, the network's slot {slots[p].Length}.");
                }

                weights[p] = new T[length];
                reader.ReadElements<T>(weights[p], $"early-stopping best weights of slot {p}");
            }
        }

        best = value;
        BestEpoch = epoch == 0 ? null : epoch;
        epochsWithoutImprovement = waited;
        for (int p = 0; weights is not null && p < weights.Length; p++)
        {
            weights[p].CopyTo(bestWeights![p], 0);
        }
    }

    /// <summary>Copies the best epoch's weights back, if they were kept.</summary>
    public void RestoreBest()
    {
        if (bestWeights is null || BestEpoch is null)
        {
            return;
        }

        for (int p = 0; p < slots.Count; p++)
        {
            bestWeights[p].CopyTo(slots[p].Span);
        }
    }
}
