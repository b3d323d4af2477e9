using System.Numerics;

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

    /// <summary>The length of each model-state slot, as a checkpoint's best weights must have them.</summary>
    public IReadOnlyList<int> SlotLengths => [.. slots.Select(slot => slot.Length)];

    /// <summary>Whether the best epoch's model state is kept (<see cref="EarlyStopping.RestoreBestWeights"/>).</summary>
    public bool KeepsBestWeights => bestWeights is not null;

    /// <summary>The progress for a checkpoint (sharing the best-weights arrays: write it before the next epoch).</summary>
    public EarlyStoppingState<T> State => new(best, BestEpoch ?? 0, epochsWithoutImprovement, bestWeights);

    /// <summary>Continues from a checkpoint's progress, already checked to fit this rule and network.</summary>
    public void Restore(EarlyStoppingState<T> state)
    {
        best = state.Best;
        BestEpoch = state.BestEpoch == 0 ? null : state.BestEpoch;
        epochsWithoutImprovement = state.EpochsWithoutImprovement;
        for (int p = 0; bestWeights is not null && p < bestWeights.Length; p++)
        {
            state.BestWeights![p].CopyTo(bestWeights[p], 0);
        }
    }

    /// <summary>Copies the best epoch's weights back, if they were kept; returns whether it did.</summary>
    public bool RestoreBest()
    {
        if (bestWeights is null || BestEpoch is null)
        {
            return false;
        }

        for (int p = 0; p < slots.Count; p++)
        {
            bestWeights[p].CopyTo(slots[p].Span);
        }

        return true;
    }
}
