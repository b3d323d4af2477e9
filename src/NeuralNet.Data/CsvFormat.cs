using System.Globalization;

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

    /// <summary>
    /// The culture whose decimal and group separators the numbers are written with, e.g. one with decimal commas
    /// for <c>1,5;2</c> (set <see cref="Separator"/> to <c>;</c>). Default <see langword="null"/>: numbers are read
    /// with the invariant culture (decimal point) and a group separator is an error, so that <c>1,5</c> is never
    /// silently read as 15. With a culture, features may contain its group separators; labels never may.
    /// </summary>
    public CultureInfo? Culture { get; init; }
}
