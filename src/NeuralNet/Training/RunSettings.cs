using System.Numerics;

namespace NeuralNet.Training;

/// <summary>What a checkpoint must match to continue this run.</summary>
/// <param name="Options">The trainer's options.</param>
/// <param name="TrainingSetSize">Training samples after any validation split.</param>
/// <param name="BatchSize">The effective batch size.</param>
/// <param name="EarlyStopping">The run's early stopping, if any.</param>
/// <param name="OptimizerKind">The optimizer's kind (class name), which a checkpoint must match.</param>
internal sealed record RunSettings<T>(TrainerOptions Options, int TrainingSetSize, int BatchSize, EarlyStoppingTracker<T>? EarlyStopping, string OptimizerKind)
    where T : unmanaged, IFloatingPointIeee754<T>;
