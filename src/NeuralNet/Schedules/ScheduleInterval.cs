namespace NeuralNet.Schedules;

/// <summary>How often a trainer advances a learning-rate schedule.</summary>
public enum ScheduleInterval
{
    /// <summary>Once per epoch: step <c>t</c> is the epoch number minus 1, and the rate is constant within an epoch.</summary>
    Epoch,

    /// <summary>Once per minibatch: step <c>t</c> counts the batches since training started, across epochs.</summary>
    Batch,
}
