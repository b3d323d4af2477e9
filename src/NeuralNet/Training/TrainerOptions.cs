namespace NeuralNet.Training;

/// <summary>How a <see cref="Trainer{T}"/> walks the data.</summary>
public sealed record TrainerOptions
{
    /// <summary>Number of passes over the training set; at least 1. Default 10.</summary>
    public int Epochs { get; init; } = 10;

    /// <summary>Samples per minibatch; at least 1. The last, partial batch of an epoch is used too. Default 32.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Seed of the per-epoch shuffle; the same seed gives the same batches and so bit-identical weights. Default 0.</summary>
    public int Seed { get; init; }

    /// <summary>Whether to reshuffle the training samples before every epoch. Default <see langword="true"/>.</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>Throws if a value is out of range; the message names the option and the value.</summary>
    public void Validate()
    {
        if (Epochs < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Epochs), Epochs, "Trainer: the number of epochs must be at least 1.");
        }

        if (BatchSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "Trainer: the batch size must be at least 1.");
        }
    }
}
