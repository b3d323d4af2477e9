namespace NeuralNet.Training;

/// <summary>
/// Thrown when the training loss or the gradient norm (with gradient clipping) stops being finite (NaN or ∞).
/// The offending batch's update is not applied. <see cref="Epoch"/> and <see cref="Batch"/> say where it happened.
/// </summary>
public sealed class TrainingDivergedException : Exception
{
    /// <summary>Creates the exception for the given epoch and batch.</summary>
    /// <param name="epoch">The epoch, from 1.</param>
    /// <param name="batch">The batch within the epoch, from 1.</param>
    /// <param name="loss">The non-finite loss value.</param>
    public TrainingDivergedException(int epoch, int batch, double loss)
        : base($"Training diverged: the loss became {loss} at epoch {epoch}, batch {batch}. Lower the learning rate, scale the inputs, or clip gradients.")
    {
        Epoch = epoch;
        Batch = batch;
        Loss = loss;
    }

    /// <summary>Creates the exception for the given epoch and batch with a specific message (e.g. about the gradient norm).</summary>
    /// <param name="epoch">The epoch, from 1.</param>
    /// <param name="batch">The batch within the epoch, from 1.</param>
    /// <param name="loss">The batch's loss (finite when the gradient norm diverged).</param>
    /// <param name="message">What diverged and what to do.</param>
    public TrainingDivergedException(int epoch, int batch, double loss, string message)
        : base(message)
    {
        Epoch = epoch;
        Batch = batch;
        Loss = loss;
    }

    /// <summary>Creates the exception without details.</summary>
    public TrainingDivergedException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public TrainingDivergedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    public TrainingDivergedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The epoch at which the loss or gradient norm stopped being finite, from 1 (0 when not known).</summary>
    public int Epoch { get; }

    /// <summary>The batch within the epoch, from 1.</summary>
    public int Batch { get; }

    /// <summary>The batch's loss: the non-finite value when the loss diverged; the last finite loss when the gradient norm did.</summary>
    public double Loss { get; }
}
