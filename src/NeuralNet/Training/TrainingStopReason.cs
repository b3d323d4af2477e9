namespace NeuralNet.Training;

/// <summary>Why a <see cref="Trainer{T}.Fit"/> run ended.</summary>
public enum TrainingStopReason
{
    /// <summary>All <see cref="TrainerOptions.Epochs"/> ran.</summary>
    Completed,

    /// <summary><see cref="TrainerOptions.EarlyStopping"/> saw no improvement for its patience.</summary>
    EarlyStopping,

    /// <summary>A callback called <see cref="TrainingContext{T}.Stop"/>.</summary>
    Callback,
}
