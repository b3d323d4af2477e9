using System.Globalization;
using System.Numerics;
using System.Text;
using CsvHelper;
using MathNet.Numerics.LinearAlgebra;

namespace NeuralNet.Data;

/// <summary>
/// Loads delimited text files of numbers (gzipped or plain, recognised by content) in the library's layout: each
/// line of the file is one sample and becomes one column, so a file of <c>n</c> lines with <c>f</c> fields reads as
/// an <c>f × n</c> matrix. Fields are split by CsvHelper (RFC 4180 quoting); numbers are parsed with the invariant
/// culture unless <see cref="CsvFormat.Culture"/> says otherwise.
/// </summary>
/// <remarks>
/// <para>
/// Every feature must be a number that is finite in the element type (<c>1e39</c> is an error for
/// <see cref="float"/>, not +∞); it is rounded to the nearest value of that type, as any parser does
/// (<c>16777217</c> reads as the float <c>16777216</c>). Group (thousands) separators are refused unless a culture is
/// given. A label must be exactly a non-negative integer (<c>3</c>, <c>3.0</c>): it is read from the text, never
/// through a float, so <c>3.00000001</c> and <c>1e0</c> are errors and <c>16777217</c> stays 16777217. A label column
/// whose first label is not a number holds class names instead (see <see cref="ReadClassification{T}(string, int, CsvFormat?, int?)"/>).
/// </para>
/// <para>
/// Every line must have as many fields as the first. Otherwise a <see cref="DataFileException"/> names the file,
/// the line where the record starts (counting every line: header, blank lines and lines inside quoted fields) and
/// the column, and quotes at most 40 characters of the cell. Gzipped input that is damaged, truncated or followed by
/// other bytes is a <see cref="DataFileException"/> too. Memory is proportional to the data actually read.
/// </para>
/// </remarks>
public static class CsvLoader
{
    /// <summary>Reads a comma-separated file of numbers without a header as a <c>fields × lines</c> matrix (one sample per column).</summary>
    /// <param name="path">The file, plain or gzipped; a FIFO works too.</param>
    /// <typeparam name="T">Element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <exception cref="DataFileException">A cell is not a finite number, a line has the wrong number of fields, there is no data, or the gzip data is damaged.</exception>
    public static Matrix<T> ReadMatrix<T>(string path)
        where T : unmanaged, IFloatingPointIeee754<T>
        => ReadMatrix<T>(path, CsvFormat.Comma);

    /// <summary>Reads a file of numbers as a <c>fields × lines</c> matrix (one sample per column).</summary>
    /// <param name="path">The file, plain or gzipped; a FIFO works too.</param>
    /// <param name="format">Separator, header and culture, e.g. <see cref="CsvFormat.Space"/>.</param>
    /// <typeparam name="T">Element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <exception cref="DataFileException">A cell is not a finite number, a line has the wrong number of fields, there is no data, or the gzip data is damaged.</exception>
    public static Matrix<T> ReadMatrix<T>(string path, CsvFormat format)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(format);
        using FileStream file = OpenFile(path);
        return ReadTable<T>(file, path, format, labelColumn: null, classCount: null).Features;
    }

    /// <summary>Reads a stream of numbers, plain text or gzip (recognised by peeking, so the stream need not be seekable), as a <c>fields × lines</c> matrix.</summary>
    /// <param name="stream">The data; read to the end, not closed.</param>
    /// <param name="name">The name used in error messages (a file name or resource name).</param>
    /// <param name="format">Separator, header and culture, e.g. <see cref="CsvFormat.Comma"/>.</param>
    /// <typeparam name="T">Element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <exception cref="DataFileException">A cell is not a finite number, a line has the wrong number of fields, there is no data, or the gzip data is damaged.</exception>
    public static Matrix<T> ReadMatrix<T>(Stream stream, string name, CsvFormat format)
        where T : unmanaged, IFloatingPointIeee754<T>
        => ReadTable<T>(stream, name, format, labelColumn: null, classCount: null).Features;

    /// <summary>
    /// Reads a classification data set from a file in which one column holds the class, as an index (an integer in
    /// <c>[0, classCount)</c>) or as a name (<c>setosa</c>), and the others the features (numbers).
    /// </summary>
    /// <remarks>
    /// <para>
    /// <b>Names or indices.</b> When the first data line's label is not a number, the labels are class names: every label
    /// of the file is then a name (even one that looks like a number), compared exactly (ordinal, case-sensitive) after
    /// removing surrounding spaces and tabs, 1 to 1,024 UTF-8 bytes, at most 65,536 distinct names. The classes are
    /// numbered in ordinal order of their names (as scikit-learn's <c>LabelEncoder</c>), so the same data in another
    /// row order gives the same indices, and the names are the dataset's <see cref="Dataset{T}.ClassNames"/>.
    /// Otherwise every label must be a class index, as described above.
    /// </para>
    /// </remarks>
    /// <param name="path">The file, plain or gzipped; a FIFO works too.</param>
    /// <param name="labelColumn">The label's field, from 0; negative counts from the end (−1 = last, the default).</param>
    /// <param name="format">Separator, header and culture; <see cref="CsvFormat.Comma"/> by default.</param>
    /// <param name="classCount">Number of classes, at least 1; by default the largest label + 1 (or the number of names).</param>
    /// <typeparam name="T">Element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <exception cref="DataFileException">
    /// A label is not exactly a non-negative integer, is not below <paramref name="classCount"/>, or is 2,147,483,647
    /// without a class count; in a file of names, a label is empty, longer than 1,024 UTF-8 bytes or the 65,537th name, or
    /// <paramref name="classCount"/> differs from the number of names; a line holds only the label; or the file is
    /// malformed (see <see cref="ReadMatrix{T}(string, CsvFormat)"/>).
    /// </exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="labelColumn"/> is not a field of the file, or <paramref name="classCount"/> is less than 1.</exception>
    public static Dataset<T> ReadClassification<T>(string path, int labelColumn = -1, CsvFormat? format = null, int? classCount = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        CheckClassCount(classCount);
        using FileStream file = OpenFile(path);
        return ToDataset(ReadTable<T>(file, path, format ?? CsvFormat.Comma, labelColumn, classCount));
    }

    /// <summary>Reads a classification data set from a stream, plain text or gzip; see <see cref="ReadClassification{T}(string, int, CsvFormat?, int?)"/>.</summary>
    internal static Dataset<T> ReadClassification<T>(Stream stream, string name, CsvFormat format, int labelColumn, int? classCount)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckClassCount(classCount);
        return ToDataset(ReadTable<T>(stream, name, format, labelColumn, classCount));
    }

    private static Dataset<T> ToDataset<T>((Matrix<T> Features, int[]? Labels, int ClassCount, string[]? Names) table)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Dataset<T> data = Dataset<T>.ForClassification(table.Features, table.Labels!, table.ClassCount);
        return table.Names is null ? data : data.WithClassNames(table.Names);
    }

    private static void CheckClassCount(int? classCount)
    {
        if (classCount is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(classCount), classCount, "A classification data set needs at least one class.");
        }
    }

    private static FileStream OpenFile(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);

    private static (Matrix<T> Features, int[]? Labels, int ClassCount, string[]? Names) ReadTable<T>(Stream stream, string name, CsvFormat format, int? labelColumn, int? classCount)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(format);
        var numbers = new NumberReader<T>(name, format.Culture);
        var options = CsvReaderOptions.Default with
        {
            Separator = format.Separator,
            HasHeader = format.HasHeader,
            TrackLineNumbers = true,
            SkipEmptyLines = true,
            FormatProvider = numbers.Culture,
            IncludeValuesInExceptions = false, // our own messages quote a bounded prefix of the cell
        };

        var values = new List<T>();
        List<int>? labels = labelColumn is null ? null : [];
        int fieldCount = -1;
        int label = -1;
        int largest = -1;
        int lines = 0;
        ClassNameReader? names = null;
        (Stream data, _) = Gzip.Open(stream, name, leaveOpen: true);
        try
        {
            using (data)
            using (CsvReader reader = CsvReader.Create(data, options, leaveOpen: true))
            {
                while (reader.Read())
                {
                    long line = reader.LineNumber;
                    int fields = reader.FieldCount;
                    if (fieldCount < 0)
                    {
                        fieldCount = fields;
                        label = labelColumn is int requested ? LabelIndex(name, requested, fields, line) : -1;
                        if (label >= 0 && !numbers.IsNumber(reader.GetSpan(label)))
                        {
                            names = new ClassNameReader(name);
                        }
                    }
                    else if (fields != fieldCount)
                    {
                        throw new DataFileException(name, line, Math.Min(fields, fieldCount) + 1, $"this line has {fields} fields but the first data line has {fieldCount}.");
                    }

                    if ((long)(lines + 1) * fieldCount > Array.MaxLength)
                    {
                        throw new DataFileException(name, line, 1, $"the data has more than the {Array.MaxLength} values one matrix can hold.");
                    }

                    for (int column = 0; column < fields; column++)
                    {
                        if (column == label)
                        {
                            int value = names is not null
                                ? names.Read(reader.GetSpan(column), line, column + 1)
                                : numbers.ReadLabel(reader.GetSpan(column), line, column + 1, classCount);
                            largest = Math.Max(largest, value);
                            labels!.Add(value);
                        }
                        else
                        {
                            values.Add(numbers.ReadFeature(reader.GetSpan(column), line, column + 1));
                        }
                    }

                    lines++;
                }
            }
        }
        catch (CsvFormatException malformed)
        {
            throw new DataFileException(name, malformed.LineNumber, Math.Max(malformed.FieldIndex + 1, 1), $"malformed CSV: {malformed.Message}");
        }
        catch (DecoderFallbackException undecodable)
        {
            throw new DataFileException(name, 1, 1, $"the text cannot be decoded: {undecodable.Message}");
        }

        if (lines == 0)
        {
            throw new DataFileException(name, 1, 1, "the file holds no data lines.");
        }

        // Lines were appended one after another, which is exactly column-major order for features × samples.
        int rows = label < 0 ? fieldCount : fieldCount - 1;
        int[]? labelArray = labels?.ToArray();
        string[]? classNames = names?.Sort(labelArray!, classCount);
        return (Matrix<T>.Build.Dense(rows, lines, values.ToArray()), labelArray, classNames?.Length ?? classCount ?? largest + 1, classNames);
    }

    /// <summary>The label's field index for a file whose first data line has <paramref name="fields"/> fields.</summary>
    private static int LabelIndex(string name, int requested, int fields, long line)
    {
        int label = requested < 0 ? fields + requested : requested;
        if (label < 0 || label >= fields)
        {
            throw new ArgumentOutOfRangeException("labelColumn", requested, $"{name} has {fields} fields per line; label column {requested} is not one of them.");
        }

        if (fields == 1)
        {
            throw new DataFileException(name, line, 1, "each line holds only the label (1 field): no features are left.");
        }

        return label;
    }

    /// <summary>
    /// Reads a label column of class names: each label, without surrounding spaces or tabs, is a name of 1 to 1,024
    /// UTF-8 bytes; at most 65,536 distinct names. Labels are numbered in order of first appearance while reading, then
    /// renumbered in ordinal order of the names.
    /// </summary>
    private sealed class ClassNameReader(string name)
    {
        private readonly Dictionary<string, int> indices = new(StringComparer.Ordinal);
        private readonly List<string> seen = [];

        public int Read(ReadOnlySpan<byte> cell, long line, int column)
        {
            ReadOnlySpan<byte> text = cell.Trim(" \t"u8);
            if (text.IsEmpty || text.Length > ClassNameRules.MaxNameBytes)
            {
                throw new DataFileException(
                    name, line, column, $"the label {InputText.Quote(cell)} is not a class name: the labels of this file are names (its first label is not a number), each 1 to {ClassNameRules.MaxNameBytes} UTF-8 bytes without the surrounding spaces.");
            }

            string label;
            try
            {
                label = ClassNameRules.Strict.GetString(text);
            }
            catch (DecoderFallbackException)
            {
                throw new DataFileException(name, line, column, "the label is not valid UTF-8 text.");
            }

            if (indices.TryGetValue(label, out int index))
            {
                return index;
            }

            if (seen.Count == ClassNameRules.MaxCount)
            {
                throw new DataFileException(name, line, column, $"the label {InputText.Quote(cell)} would be class name number {ClassNameRules.MaxCount + 1}; at most {ClassNameRules.MaxCount} classes are allowed.");
            }

            indices.Add(label, seen.Count);
            seen.Add(label);
            return seen.Count - 1;
        }

        /// <summary>Renumbers <paramref name="labels"/> (first-appearance indices) in ordinal order of the names, and returns the names in that order.</summary>
        public string[] Sort(int[] labels, int? classCount)
        {
            string[] sorted = [.. seen.Order(StringComparer.Ordinal)];
            if (classCount is int classes && classes != sorted.Length)
            {
                throw new DataFileException(
                    name, 1, 1, $"the labels are {sorted.Length} class names (such as {InputText.Quote(Encoding.UTF8.GetBytes(sorted[0]))}) but the class count given is {classes}; leave it out for named classes, or make it equal.");
            }

            var rank = new int[seen.Count];
            for (int k = 0; k < sorted.Length; k++)
            {
                rank[indices[sorted[k]]] = k;
            }

            for (int j = 0; j < labels.Length; j++)
            {
                labels[j] = rank[labels[j]];
            }

            return sorted;
        }
    }

    /// <summary>Parses cells as features of type <typeparamref name="T"/> and as labels, with errors that name the cell.</summary>
    private sealed class NumberReader<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly string name;
        private readonly NumberStyles featureStyle;
        private readonly byte[] decimalSeparator;
        private readonly bool cultureGiven;

        public NumberReader(string name, CultureInfo? culture)
        {
            this.name = name;
            cultureGiven = culture is not null;
            Culture = culture ?? CultureInfo.InvariantCulture;
            featureStyle = cultureGiven ? NumberStyles.Float | NumberStyles.AllowThousands : NumberStyles.Float;
            decimalSeparator = Encoding.UTF8.GetBytes(Culture.NumberFormat.NumberDecimalSeparator);
        }

        public CultureInfo Culture { get; }

        /// <summary>Whether the cell reads as a number (finite or not) in the file's culture: a label column whose first label does not holds class names.</summary>
        public bool IsNumber(ReadOnlySpan<byte> cell) =>
            double.TryParse(cell.Trim(" \t"u8), featureStyle, Culture, out _) || cell.Trim(" \t"u8).IsEmpty;

        public T ReadFeature(ReadOnlySpan<byte> cell, long line, int column)
        {
            if (T.TryParse(cell, featureStyle, Culture, out T value))
            {
                if (T.IsFinite(value))
                {
                    return value;
                }

                // A finite double that is infinite in T lies beyond T's range (1e39 in float).
                string max = typeof(T) == typeof(float) ? float.MaxValue.ToString(CultureInfo.InvariantCulture) : double.MaxValue.ToString(CultureInfo.InvariantCulture);
                string range = double.TryParse(cell, featureStyle, Culture, out double wide) && double.IsFinite(wide)
                    ? string.Create(CultureInfo.InvariantCulture, $": it is beyond the range of {typeof(T).Name} (±{max})")
                    : string.Empty;
                throw new DataFileException(name, line, column, $"{InputText.Quote(cell)} is not a finite number{range}.");
            }

            if (!cultureGiven && double.TryParse(cell, NumberStyles.Float | NumberStyles.AllowThousands, Culture, out _))
            {
                throw new DataFileException(
                    name, line, column, $"{InputText.Quote(cell)} is not a number: group separators (',') are refused so that a decimal comma is never read as one; if the file writes numbers for a culture (e.g. 1,5 for 1.5), set CsvFormat.Culture.");
            }

            throw new DataFileException(name, line, column, $"{InputText.Quote(cell)} is not a finite number.");
        }

        /// <summary>
        /// A class index written as digits, optionally followed by the decimal separator and zeros (<c>3</c>,
        /// <c>+3</c>, <c>3.0</c>), with optional spaces or tabs around it. Parsed exactly from the text.
        /// </summary>
        public int ReadLabel(ReadOnlySpan<byte> cell, long line, int column, int? classCount)
        {
            ReadOnlySpan<byte> text = cell.Trim(" \t"u8);
            if (text.StartsWith("+"u8))
            {
                text = text[1..];
            }

            int digits = text.IndexOfAnyExceptInRange((byte)'0', (byte)'9');
            ReadOnlySpan<byte> fraction = digits < 0 ? [] : text[digits..];
            ReadOnlySpan<byte> integer = digits < 0 ? text : text[..digits];
            bool exact = fraction.IsEmpty || (fraction.StartsWith(decimalSeparator) && !fraction[decimalSeparator.Length..].ContainsAnyExcept((byte)'0'));
            long value = 0;
            foreach (byte digit in integer)
            {
                value = Math.Min((value * 10) + (digit - '0'), 1L << 32);
            }

            if (integer.IsEmpty || !exact || value > int.MaxValue)
            {
                throw new DataFileException(name, line, column, $"the label {InputText.Quote(cell)} is not a class index (a non-negative integer below 2147483647, such as 3 or 3.0).");
            }

            int label = (int)value;
            if (classCount is int classes && label >= classes)
            {
                throw new DataFileException(name, line, column, $"the label {label} is outside the {classes} classes [0, {classes - 1}].");
            }

            if (classCount is null && label == int.MaxValue)
            {
                throw new DataFileException(name, line, column, $"the label {label} is too large: the class count (largest label + 1) would not fit in an int.");
            }

            return label;
        }
    }
}
