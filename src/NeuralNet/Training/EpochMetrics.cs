using System.Numerics;

namespace NeuralNet.Training;

/// <summary>
/// Accumulates the epoch's training loss (each batch's mean weighted by its size) and, for classification, accuracy,
/// and starts the epoch's <see cref="EpochResult"/> with them and the learning rate of the last batch.
/// </summary>
internal sealed class EpochMetrics<T> : ITrainingCallback<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly bool classification;
    private double lossSum;
    private int correct;
    private int seen;

    public EpochMetrics(bool classification) => this.classification = classification;

    public void OnEpochStart(TrainingContext<T> context)
    {
        lossSum = 0;
        correct = 0;
        seen = 0;
    }

    public void OnBatchEnd(TrainingContext<T> context)
    {
        if (classification)
        {
            correct += Evaluator<T>.CountCorrect(context.BatchOutput!, context.BatchLabels.Span);
        }

        lossSum += context.BatchLoss * context.BatchSize;
        seen += context.BatchSize;
    }

    public void OnEpochEnd(TrainingContext<T> context) =>
        context.EpochResult = new EpochResult(context.Epoch, lossSum / seen, classification ? (double)correct / seen : null, null, null, TimeSpan.Zero)
        {
            LearningRate = context.Optimizer.LearningRate,
        };
}
