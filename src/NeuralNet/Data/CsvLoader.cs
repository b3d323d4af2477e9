using System.Globalization;
using System.Numerics;
using CsvHelper;
using MathNet.Numerics.LinearAlgebra;

namespace NeuralNet.Data;

/// <summary>
/// Loads delimited text files of numbers (gzipped or plain, recognised by content) in the library's layout: each
/// line of the file is one sample and becomes one column, so a file of <c>n</c> lines with <c>f</c> fields reads as
/// an <c>f × n</c> matrix. Parsing is done by CsvHelper (RFC 4180 quoting) with the invariant culture.
/// </summary>
/// <remarks>
/// Every cell must be a finite number and every line must have as many fields as the first; otherwise a
/// <see cref="DataFileException"/> names the file, the line (counting every line, header included) and the column.
/// </remarks>
public static class CsvLoader
{
    /// <summary>Reads a comma-separated file of numbers without a header as a <c>fields × lines</c> matrix (one sample per column).</summary>
    /// <param name="path">The file, plain or gzipped.</param>
    /// <typeparam name="T">Element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <exception cref="DataFileException">A cell is not a finite number, a line has the wrong number of fields, or there is no data.</exception>
    public static Matrix<T> ReadMatrix<T>(string path)
        where T : unmanaged, IFloatingPointIeee754<T>
        => ReadMatrix<T>(path, CsvFormat.Comma);

    /// <summary>Reads a file of numbers as a <c>fields × lines</c> matrix (one sample per column).</summary>
    /// <param name="path">The file, plain or gzipped.</param>
    /// <param name="format">Separator and header, e.g. <see cref="CsvFormat.Space"/>.</param>
    /// <typeparam name="T">Element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <exception cref="DataFileException">A cell is not a finite number, a line has the wrong number of fields, or there is no data.</exception>
    public static Matrix<T> ReadMatrix<T>(string path, CsvFormat format)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using Stream stream = Gzip.OpenRead(path);
        return ReadMatrix<T>(stream, path, format);
    }

    /// <summary>Reads a stream of numbers as a <c>fields × lines</c> matrix: plain text, or gzip when the stream is seekable and starts with the gzip magic bytes (wrap a non-seekable gzip stream in a <see cref="System.IO.Compression.GZipStream"/> yourself).</summary>
    /// <param name="stream">The data; read to the end, not closed.</param>
    /// <param name="name">The name used in error messages (a file name or resource name).</param>
    /// <param name="format">Separator and header, e.g. <see cref="CsvFormat.Comma"/>.</param>
    /// <typeparam name="T">Element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    public static Matrix<T> ReadMatrix<T>(Stream stream, string name, CsvFormat format)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(format);
        var options = CsvReaderOptions.Default with
        {
            Separator = format.Separator,
            HasHeader = format.HasHeader,
            TrackLineNumbers = true,
            SkipEmptyLines = true,
            FormatProvider = CultureInfo.InvariantCulture,
        };

        var values = new List<T>();
        int fieldCount = -1;
        int lines = 0;
        try
        {
            using CsvReader reader = CsvReader.Create(DecompressIfGzip(stream), options, leaveOpen: true);
            while (reader.Read())
            {
                long line = reader.LineNumber;
                int fields = reader.FieldCount;
                if (fieldCount < 0)
                {
                    fieldCount = fields;
                }
                else if (fields != fieldCount)
                {
                    throw new DataFileException(name, line, Math.Min(fields, fieldCount) + 1, $"this line has {fields} fields but the first data line has {fieldCount}.");
                }

                for (int column = 0; column < fields; column++)
                {
                    if (!reader.TryParse(column, out double value) || !double.IsFinite(value))
                    {
                        string text = reader.Current[column].ToString() ?? string.Empty;
                        throw new DataFileException(name, line, column + 1, $"'{text}' is not a finite number.");
                    }

                    values.Add(T.CreateChecked(value));
                }

                lines++;
            }
        }
        catch (CsvFormatException malformed)
        {
            throw new DataFileException(name, malformed.LineNumber, Math.Max(malformed.FieldIndex + 1, 1), $"malformed CSV: {malformed.Message}");
        }

        if (lines == 0)
        {
            throw new DataFileException(name, 1, 1, "the file holds no data lines.");
        }

        // Lines were appended one after another, which is exactly column-major order for features × samples.
        return Matrix<T>.Build.Dense(fieldCount, lines, values.ToArray());
    }

    /// <summary>
    /// Reads a classification data set from a file of numbers in which one column holds the class index (an
    /// integer in <c>[0, classCount)</c>) and the others the features.
    /// </summary>
    /// <param name="path">The file, plain or gzipped.</param>
    /// <param name="labelColumn">The label's field, from 0; negative counts from the end (−1 = last, the default).</param>
    /// <param name="format">Separator and header; <see cref="CsvFormat.Comma"/> by default.</param>
    /// <param name="classCount">Number of classes; by default the largest label + 1.</param>
    /// <typeparam name="T">Element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <exception cref="DataFileException">A label is not a non-negative integer, or the file is malformed.</exception>
    public static Dataset<T> ReadClassification<T>(string path, int labelColumn = -1, CsvFormat? format = null, int? classCount = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T> table = ReadMatrix<T>(path, format ?? CsvFormat.Comma);
        int label = labelColumn < 0 ? table.RowCount + labelColumn : labelColumn;
        if (label < 0 || label >= table.RowCount)
        {
            throw new ArgumentOutOfRangeException(nameof(labelColumn), labelColumn, $"{path} has {table.RowCount} fields per line; label column {labelColumn} is not one of them.");
        }

        var labels = new int[table.ColumnCount];
        int headerLines = format?.HasHeader == true ? 1 : 0;
        for (int j = 0; j < labels.Length; j++)
        {
            double value = double.CreateChecked(table[label, j]);
            if (value < 0 || value != Math.Floor(value) || value > int.MaxValue)
            {
                throw new DataFileException(path, j + 1 + headerLines, label + 1, $"the label {value.ToString(CultureInfo.InvariantCulture)} is not a class index (a non-negative integer).");
            }

            labels[j] = (int)value;
        }

        int[] featureRows = [.. Enumerable.Range(0, table.RowCount).Where(r => r != label)];
        Matrix<T> features = Matrix<T>.Build.Dense(featureRows.Length, table.ColumnCount, (i, j) => table[featureRows[i], j]);
        return Dataset<T>.ForClassification(features, labels, classCount);
    }

    /// <summary>A seekable stream that starts with the gzip magic bytes is decompressed; anything else is read as text.</summary>
    private static Stream DecompressIfGzip(Stream stream)
    {
        if (!stream.CanSeek)
        {
            return stream;
        }

        long start = stream.Position;
        Span<byte> magic = stackalloc byte[2];
        int read = stream.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
        stream.Position = start;
        return read == 2 && magic[0] == 0x1F && magic[1] == 0x8B
            ? new System.IO.Compression.GZipStream(stream, System.IO.Compression.CompressionMode.Decompress, leaveOpen: true)
            : stream;
    }
}
