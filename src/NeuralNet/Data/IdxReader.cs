using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace NeuralNet.Data;

/// <summary>
/// Reads IDX files, the format of MNIST and Fashion-MNIST, gzipped or raw (recognised by content).
/// </summary>
/// <remarks>
/// <para>
/// Layout: two zero bytes, a type code (<c>0x08</c> = unsigned byte, the only type these data sets use), the
/// number of dimensions <c>d</c>, then <c>d</c> big-endian 32-bit sizes, then the data in row-major order.
/// </para>
/// <para>
/// The header is validated before anything is allocated from it: the declared data size must fit in an array and
/// agree with the length of a raw file, or with the uncompressed size in a gzip trailer. Data that ends early or
/// goes on past the declared size is rejected. Every error is a <see cref="DataFileException"/> naming the file and
/// the byte offset (in the uncompressed data).
/// </para>
/// </remarks>
public static class IdxReader
{
    private const byte UnsignedByteType = 0x08;
    private const int MaxDimensions = 8;

    /// <summary>Reads an IDX file of unsigned bytes.</summary>
    /// <param name="path">The file, gzipped or raw.</param>
    /// <exception cref="DataFileException">The file is not a valid IDX file (the message names the file and byte).</exception>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    public static IdxArray Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"IDX file {path} does not exist.", path);
        }

        bool gzipped = Gzip.IsGzip(path);
        using Stream stream = Gzip.OpenRead(path);
        long position = 0;
        try
        {
            Span<byte> magic = stackalloc byte[4];
            position += ReadHeaderBytes(stream, magic, path, position, "the 4-byte magic number");
            if (magic[0] != 0 || magic[1] != 0)
            {
                throw new DataFileException(
                    path, 0, string.Create(CultureInfo.InvariantCulture, $"wrong magic number 0x{magic[0]:X2}{magic[1]:X2}{magic[2]:X2}{magic[3]:X2}: an IDX file starts with two zero bytes, a type code and a dimension count."));
            }

            if (magic[2] != UnsignedByteType)
            {
                throw new DataFileException(
                    path, 2, string.Create(CultureInfo.InvariantCulture, $"element type code 0x{magic[2]:X2} is not supported; only unsigned bytes (0x08), the type of MNIST and Fashion-MNIST."));
            }

            int rank = magic[3];
            if (rank is 0 or > MaxDimensions)
            {
                throw new DataFileException(path, 3, $"the header declares {rank} dimensions; expected 1 to {MaxDimensions}.");
            }

            var dimensions = new int[rank];
            long dataLength = 1;
            Span<byte> size = stackalloc byte[4];
            for (int i = 0; i < rank; i++)
            {
                position += ReadHeaderBytes(stream, size, path, position, $"dimension {i + 1} of {rank}");
                int value = BinaryPrimitives.ReadInt32BigEndian(size);
                if (value < 0)
                {
                    throw new DataFileException(path, position - 4, $"dimension {i + 1} has size {(uint)value}, more than the 2³¹ − 1 an IDX size can be.");
                }

                dimensions[i] = value;
                dataLength *= value;
                if (dataLength > Array.MaxLength)
                {
                    throw new DataFileException(path, position - 4, $"the header declares {Describe(dimensions.AsSpan(0, i + 1))} bytes, more than one array can hold.");
                }
            }

            long headerLength = position;
            CheckDeclaredLength(path, gzipped, headerLength, dataLength, dimensions);
            byte[] values = new byte[dataLength];
            int read = stream.ReadAtLeast(values, values.Length, throwOnEndOfStream: false);
            if (read < values.Length)
            {
                throw new DataFileException(
                    path, headerLength + read, $"truncated: the data ends here, but the header declares {Describe(dimensions)} = {dataLength} data bytes after the {headerLength}-byte header.");
            }

            position = headerLength + dataLength;
            if (stream.ReadByte() >= 0)
            {
                throw new DataFileException(path, position, $"unexpected bytes after the {Describe(dimensions)} = {dataLength} data bytes the header declares.");
            }

            return new IdxArray(path, dimensions, values);
        }
        catch (InvalidDataException corrupt)
        {
            throw new DataFileException(path, position, $"the gzip data is corrupt: {corrupt.Message}", corrupt);
        }
    }

    /// <summary>
    /// Reads an IDX file of <c>n</c> items (images of any shape) as a <c>features × n</c> matrix, one item per
    /// column, each byte multiplied by <paramref name="scale"/>.
    /// </summary>
    /// <param name="path">The file, gzipped or raw; at least two dimensions.</param>
    /// <param name="scale">Factor applied to every byte; the default <c>1/255</c> maps pixels to <c>[0, 1]</c>.</param>
    /// <typeparam name="T">Element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    public static Matrix<T> ReadImages<T>(string path, double scale = 1.0 / 255)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        IdxArray array = Read(path);
        if (array.Dimensions.Count < 2)
        {
            throw new DataFileException(path, 3, $"expected images (at least two dimensions) but the header declares {array.Dimensions.Count}.");
        }

        int features = 1;
        for (int i = 1; i < array.Dimensions.Count; i++)
        {
            features *= array.Dimensions[i];
        }

        // Each item's bytes are contiguous in the file, and so is each column of a column-major matrix.
        T factor = T.CreateChecked(scale);
        var lookup = new T[256];
        for (int b = 0; b < lookup.Length; b++)
        {
            lookup[b] = T.CreateChecked(b) * factor;
        }

        var data = new T[array.Values.Length];
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = lookup[array.Values[i]];
        }

        return Matrix<T>.Build.Dense(features, array.ItemCount, data);
    }

    /// <summary>Reads a one-dimensional IDX file of class labels.</summary>
    /// <param name="path">The file, gzipped or raw; exactly one dimension.</param>
    public static int[] ReadLabels(string path)
    {
        IdxArray array = Read(path);
        if (array.Dimensions.Count != 1)
        {
            throw new DataFileException(path, 3, $"expected labels (one dimension) but the header declares {array.Dimensions.Count} dimensions ({Describe([.. array.Dimensions])}).");
        }

        return [.. array.Values.Select(b => (int)b)];
    }

    private static int ReadHeaderBytes(Stream stream, Span<byte> buffer, string path, long position, string what)
    {
        int read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        if (read < buffer.Length)
        {
            throw new DataFileException(path, position + read, $"truncated header: the file ends inside {what}.");
        }

        return read;
    }

    private static void CheckDeclaredLength(string path, bool gzipped, long headerLength, long dataLength, int[] dimensions)
    {
        long expected = headerLength + dataLength;
        if (!gzipped)
        {
            long actual = new FileInfo(path).Length;
            if (actual < expected)
            {
                throw new DataFileException(
                    path, actual, $"truncated: the file is {actual} bytes, but its header declares {Describe(dimensions)} = {dataLength} data bytes after the {headerLength}-byte header ({expected} in all).");
            }

            if (actual > expected)
            {
                throw new DataFileException(
                    path, expected, $"the file is {actual} bytes, but its header declares {Describe(dimensions)} = {dataLength} data bytes after the {headerLength}-byte header ({expected} in all).");
            }

            return;
        }

        // A gzip trailer records the uncompressed size modulo 2³²: checking it catches a lying header before allocating.
        uint? recorded = Gzip.TrailerSize(path);
        if (recorded is uint size && size != (uint)expected)
        {
            throw new DataFileException(
                path, Math.Min(size, expected), $"the header declares {Describe(dimensions)} = {dataLength} data bytes after the {headerLength}-byte header ({expected} in all), but the gzip trailer records {size} uncompressed bytes (truncated or mismatched file).");
        }
    }

    private static string Describe(ReadOnlySpan<int> dimensions)
    {
        var parts = new string[dimensions.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            parts[i] = dimensions[i].ToString(CultureInfo.InvariantCulture);
        }

        return string.Join(" × ", parts);
    }
}
