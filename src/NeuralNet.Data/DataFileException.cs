namespace NeuralNet.Data;

/// <summary>
/// A data file cannot be read as the format it should be in: wrong magic number, sizes in the header that do not
/// match the file, truncated data, or a cell that is not a number. The message names the file and where in it the
/// problem is (byte offset, or line and column).
/// </summary>
public sealed class DataFileException : FormatException
{
    /// <summary>Creates the exception for a problem at a byte offset of a binary file.</summary>
    /// <param name="path">The file (or stream name) at fault.</param>
    /// <param name="bytePosition">Offset, from 0, of the first byte at fault (after decompression for gzipped files).</param>
    /// <param name="problem">What is wrong, as a sentence.</param>
    public DataFileException(string path, long bytePosition, string problem)
        : this(path, bytePosition, problem, null)
    {
    }

    /// <summary>Creates the exception for a problem at a byte offset of a binary file, caused by a lower-level error.</summary>
    /// <param name="path">The file (or stream name) at fault.</param>
    /// <param name="bytePosition">Offset, from 0, of the first byte at fault (after decompression for gzipped files).</param>
    /// <param name="problem">What is wrong, as a sentence.</param>
    /// <param name="innerException">The lower-level error, or <see langword="null"/>.</param>
    public DataFileException(string path, long bytePosition, string problem, Exception? innerException)
        : base($"{path}: at byte {bytePosition}: {problem}", innerException)
    {
        FilePath = path;
        BytePosition = bytePosition;
    }

    /// <summary>Creates the exception for a problem with a file (or data built from it) as a whole, such as a wrong SHA-256.</summary>
    /// <param name="path">The file (or folder, or produced file) at fault.</param>
    /// <param name="problem">What is wrong, as a sentence.</param>
    public DataFileException(string path, string problem)
        : base($"{path}: {problem}")
    {
        FilePath = path;
    }

    /// <summary>Creates the exception for a problem at a cell of a text file.</summary>
    /// <param name="path">The file (or stream name) at fault.</param>
    /// <param name="line">The line, from 1, counting every line of the file.</param>
    /// <param name="column">The field, from 1.</param>
    /// <param name="problem">What is wrong, as a sentence.</param>
    public DataFileException(string path, long line, int column, string problem)
        : base($"{path}: line {line}, column {column}: {problem}")
    {
        FilePath = path;
        Line = line;
        Column = column;
    }

    /// <summary>Creates the exception with a message.</summary>
    public DataFileException()
    {
        FilePath = string.Empty;
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public DataFileException(string message)
        : base(message)
    {
        FilePath = string.Empty;
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public DataFileException(string message, Exception innerException)
        : base(message, innerException)
    {
        FilePath = string.Empty;
    }

    /// <summary>The file (or stream name) at fault.</summary>
    public string FilePath { get; }

    /// <summary>Byte offset of the problem in a binary file, or <see langword="null"/>.</summary>
    public long? BytePosition { get; }

    /// <summary>Line (from 1) of the problem in a text file, or <see langword="null"/>.</summary>
    public long? Line { get; }

    /// <summary>Field (from 1) of the problem in a text file, or <see langword="null"/>.</summary>
    public int? Column { get; }
}
