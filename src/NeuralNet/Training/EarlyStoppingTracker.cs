using System.Numerics;

namespace NeuralNet.Training;

/// <summary>Follows the monitored metric epoch by epoch and keeps a copy of the best epoch's weights.</summary>
internal sealed class EarlyStoppingTracker<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly EarlyStopping rule;
    private readonly IReadOnlyList<Parameter<T>> parameters;
    private readonly T[][]? bestWeights;
    private double best = double.NaN;
    private int epochsWithoutImprovement;

    public EarlyStoppingTracker(EarlyStopping rule, IReadOnlyList<Parameter<T>> parameters)
    {
        this.rule = rule;
        this.parameters = parameters;
        if (rule.RestoreBestWeights)
        {
            bestWeights = new T[parameters.Count][];
            for (int p = 0; p < parameters.Count; p++)
            {
                bestWeights[p] = new T[parameters[p].Length];
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
                for (int p = 0; p < parameters.Count; p++)
                {
                    parameters[p].ValueSpan.CopyTo(bestWeights[p]);
                }
            }

            return false;
        }

        epochsWithoutImprovement++;
        return epochsWithoutImprovement >= rule.Patience;
    }

    /// <summary>Copies the best epoch's weights back, if they were kept.</summary>
    public void RestoreBest()
    {
        if (bestWeights is null || BestEpoch is null)
        {
            return;
        }

        for (int p = 0; p < parameters.Count; p++)
        {
            bestWeights[p].CopyTo(parameters[p].ValueSpan);
        }
    }
}
