namespace NeuralNet.Serialization;

/// <summary>
/// A model or checkpoint file (or stream) is not a valid NeuralNet file: wrong magic bytes, an unsupported format
/// version, the wrong content or element type, truncation, a checksum mismatch (damaged bytes), an absurd size, or an
/// unknown layer kind. The message names the file and what is wrong.
/// </summary>
/// <remarks>
/// This is the one exception type the loaders throw for bad content; it derives from <see cref="IOException"/> so
/// code that already handles I/O failures handles it too. Problems opening the file (missing, no permission) keep
/// their own <see cref="IOException"/> subtypes. The format is specified in <c>docs/model-format.md</c>.
/// </remarks>
public sealed class ModelFormatException : IOException
{
    /// <summary>Creates the exception with a default message.</summary>
    public ModelFormatException()
        : base("The data is not a valid NeuralNet model file.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What is wrong, naming the file.</param>
    public ModelFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the error that revealed the problem.</summary>
    /// <param name="message">What is wrong, naming the file.</param>
    /// <param name="innerException">The underlying error.</param>
    public ModelFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
