namespace NeuralNet.Schedules;

/// <summary>
/// A learning rate as a pure function of the step number, applied to any optimizer through
/// <see cref="Optimizers.IOptimizer{T}.LearningRate"/>.
/// </summary>
/// <remarks>
/// Schedules keep no state, so the same schedule can drive several runs and its value at any step can be checked
/// directly. What a step is (an epoch or a minibatch) is decided by whoever applies the schedule: the trainer uses
/// <see cref="Training.TrainerOptions.ScheduleInterval"/>.
/// </remarks>
public interface ILearningRateSchedule
{
    /// <summary>The learning rate for step <paramref name="step"/>.</summary>
    /// <param name="initialRate">The base rate <c>η₀</c> (the trainer passes the optimizer's rate when the trainer was created).</param>
    /// <param name="step">The step, from 0 (the first epoch or batch).</param>
    /// <returns>A finite, non-negative rate.</returns>
    double GetLearningRate(double initialRate, int step);
}
