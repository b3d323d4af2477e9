using System.Diagnostics;
using System.Numerics;

namespace NeuralNet.Training;

/// <summary>
/// Completes each epoch's result with its wall-clock duration (validation included), appends it to the history (whose
/// weights the network now holds) and reports it to the caller's <see cref="IProgress{T}"/>.
/// </summary>
internal sealed class HistoryRecorder<T> : ITrainingCallback<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly IProgress<EpochResult>? progress;
    private long start;

    public HistoryRecorder(IProgress<EpochResult>? progress) => this.progress = progress;

    public void OnEpochStart(TrainingContext<T> context) => start = Stopwatch.GetTimestamp();

    public void OnEpochEnd(TrainingContext<T> context)
    {
        EpochResult result = context.EpochResult! with { Duration = Stopwatch.GetElapsedTime(start) };
        context.EpochResult = result;
        context.History.Add(result);
        context.History.WeightsEpoch = result.Epoch;
        progress?.Report(result);
    }
}
