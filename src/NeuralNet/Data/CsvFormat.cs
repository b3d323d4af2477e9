namespace NeuralNet.Data;

/// <summary>How a delimited text file of numbers is laid out.</summary>
public sealed record CsvFormat
{
    /// <summary>Comma-separated, no header line.</summary>
    public static CsvFormat Comma { get; } = new();

    /// <summary>Separated by single spaces, no header line (e.g. the diabetes data of scikit-learn).</summary>
    public static CsvFormat Space { get; } = new() { Separator = ' ' };

    /// <summary>The field separator (an ASCII character). Default <c>,</c>.</summary>
    public char Separator { get; init; } = ',';

    /// <summary>Whether the first line is a header to skip. Default <see langword="false"/>.</summary>
    public bool HasHeader { get; init; }
}
