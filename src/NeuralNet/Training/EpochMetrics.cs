using System.Numerics;
using NeuralNet.Losses;

namespace NeuralNet.Training;

/// <summary>
/// Accumulates the epoch's training loss per sample (each batch's mean weighted by its size, or the batches' sums,
/// divided by the samples seen) and, for classification, accuracy,
/// and starts the epoch's <see cref="EpochResult"/> with them and the learning rate of the last batch.
/// </summary>
internal sealed class EpochMetrics<T> : ITrainingCallback<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly bool classification;
    private readonly bool summed;
    private double lossSum;
    private int correct;
    private int seen;

    /// <param name="classification">Whether to count correct predictions.</param>
    /// <param name="reduction">The loss's reduction: a mean batch loss is weighted by the batch size, a summed one is added as it is.</param>
    public EpochMetrics(bool classification, Reduction reduction)
    {
        this.classification = classification;
        summed = reduction == Reduction.Sum;
    }

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

        lossSum += summed ? context.BatchLoss : context.BatchLoss * context.BatchSize;
        seen += context.BatchSize;
    }

    public void OnEpochEnd(TrainingContext<T> context) =>
        context.EpochResult = new EpochResult(context.Epoch, lossSum / seen, classification ? (double)correct / seen : null, null, null, TimeSpan.Zero)
        {
            LearningRate = context.Optimizer.LearningRate,
        };
}
