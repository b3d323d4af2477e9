using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace NeuralNet.Data;

/// <summary>
/// Reads IDX files, the format of MNIST and Fashion-MNIST, gzipped or raw (recognised by content), from files,
/// FIFOs or any readable stream.
/// </summary>
/// <remarks>
/// <para>
/// Layout: two zero bytes, a type code (<c>0x08</c> = unsigned byte, the only type these data sets use), the
/// number of dimensions <c>d</c>, then <c>d</c> big-endian 32-bit sizes, then the data in row-major order.
/// </para>
/// <para>
/// Nothing the file says about itself is trusted for memory: the declared data size must fit in an array, but the
/// buffer grows only as data actually arrives (starting at 1 MiB and at most doubling), so a tiny file that claims
/// gigabytes costs about a megabyte. A raw file whose length is known up front must have exactly the declared size.
/// Data that ends early or goes on past the declared size, and gzip data that is damaged, truncated or followed by
/// other bytes, are rejected. Every error is a <see cref="DataFileException"/> naming the file and the byte offset
/// (in the uncompressed data).
/// </para>
/// </remarks>
public static class IdxReader
{
    private const byte UnsignedByteType = 0x08;
    private const int MaxDimensions = 8;

    /// <summary>The first buffer for data whose size is not known up front; it doubles as the data keeps coming.</summary>
    private const int FirstChunk = 1 << 20;

    /// <summary>Reads an IDX file of unsigned bytes.</summary>
    /// <param name="path">The file, gzipped or raw; a FIFO or other non-seekable file works too.</param>
    /// <exception cref="DataFileException">The file is not a valid IDX file (the message names the file and byte).</exception>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    public static IdxArray Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"IDX file {path} does not exist.", path);
        }

        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        return Read(file, path);
    }

    /// <summary>Reads IDX data of unsigned bytes, gzipped or raw, from a stream that need not be seekable.</summary>
    /// <param name="stream">The data, read to its end (trailing bytes are an error) and left open.</param>
    /// <param name="name">The name used in the result and in error messages (a file name or resource name).</param>
    /// <exception cref="DataFileException">The data is not valid IDX (the message names <paramref name="name"/> and the byte).</exception>
    public static IdxArray Read(Stream stream, string name)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentException.ThrowIfNullOrEmpty(name);
        (Stream data, long? rawLength) = Gzip.Open(stream, name, leaveOpen: true);
        using (data)
        {
            return Parse(data, name, rawLength);
        }
    }

    /// <summary>
    /// Reads an IDX file of <c>n</c> items (images of any shape) as a <c>features × n</c> matrix, one item per
    /// column, each byte multiplied by <paramref name="scale"/>.
    /// </summary>
    /// <param name="path">The file, gzipped or raw; at least two dimensions and at least one image.</param>
    /// <param name="scale">Factor applied to every byte, finite and positive; the default <c>1/255</c> maps pixels to <c>[0, 1]</c>.</param>
    /// <typeparam name="T">Element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="scale"/> is not finite and positive, or 255 × scale is not finite in <typeparamref name="T"/>.</exception>
    /// <exception cref="DataFileException">The file is not valid IDX, or holds no images.</exception>
    public static Matrix<T> ReadImages<T>(string path, double scale = 1.0 / 255)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] lookup = ScaledBytes<T>(scale);
        return ToImages(Read(path), lookup);
    }

    /// <summary>Reads a one-dimensional IDX file of class labels.</summary>
    /// <param name="path">The file, gzipped or raw; exactly one dimension.</param>
    /// <exception cref="DataFileException">The file is not valid IDX, or has more than one dimension.</exception>
    public static int[] ReadLabels(string path) => ToLabels(Read(path));

    /// <summary>The images of <paramref name="array"/> as a <c>features × n</c> matrix; see <see cref="ReadImages{T}(string, double)"/>.</summary>
    internal static Matrix<T> ToImages<T>(IdxArray array, T[] lookup)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        string path = array.Source;
        if (array.Dimensions.Count < 2)
        {
            throw new DataFileException(path, 3, $"expected images (at least two dimensions) but the header declares {array.Dimensions.Count}.");
        }

        if (array.Values.Length == 0)
        {
            throw new DataFileException(path, 4, $"the file holds no images: its header declares {Describe([.. array.Dimensions])}.");
        }

        // The values are all there, so every size is positive and their product is an array length.
        int features = array.Values.Length / array.ItemCount;

        // Each item's bytes are contiguous in the file, and so is each column of a column-major matrix.
        var data = new T[array.Values.Length];
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = lookup[array.Values[i]];
        }

        return Matrix<T>.Build.Dense(features, array.ItemCount, data);
    }

    /// <summary>The labels of a one-dimensional <paramref name="array"/>; see <see cref="ReadLabels(string)"/>.</summary>
    internal static int[] ToLabels(IdxArray array)
    {
        if (array.Dimensions.Count != 1)
        {
            throw new DataFileException(array.Source, 3, $"expected labels (one dimension) but the header declares {array.Dimensions.Count} dimensions ({Describe([.. array.Dimensions])}).");
        }

        return [.. array.Values.Select(b => (int)b)];
    }

    /// <summary>The 256 byte values multiplied by <paramref name="scale"/> in <typeparamref name="T"/>.</summary>
    internal static T[] ScaledBytes<T>(double scale)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!double.IsFinite(scale) || scale <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(scale), scale, "The pixel scale must be finite and positive.");
        }

        T factor = T.CreateChecked(scale);
        var lookup = new T[256];
        for (int b = 0; b < lookup.Length; b++)
        {
            lookup[b] = T.CreateChecked(b) * factor;
        }

        if (!T.IsFinite(lookup[255]) || T.IsZero(factor))
        {
            throw new ArgumentOutOfRangeException(
                nameof(scale), scale, $"The pixel scale {scale.ToString(CultureInfo.InvariantCulture)} is not usable in {typeof(T).Name}: 255 × scale must be finite and the scale must not round to 0.");
        }

        return lookup;
    }

    private static IdxArray Parse(Stream stream, string path, long? rawLength)
    {
        long position = 0;
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
        bool empty = false;
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
            empty |= value == 0;

            // Checked even after a zero size, so the product of the other sizes always fits (ReadImages relies on it).
            dataLength *= Math.Max(value, 1);
            if (dataLength > Array.MaxLength)
            {
                string sizes = Describe(dimensions.AsSpan(0, i + 1));
                throw new DataFileException(
                    path, position - 4, empty ? $"the header declares {sizes}: its sizes other than 0 multiply to more bytes than one array can hold." : $"the header declares {sizes} bytes, more than one array can hold.");
            }
        }

        dataLength = empty ? 0 : dataLength;
        long headerLength = position;
        if (rawLength is long length)
        {
            CheckLength(path, length, headerLength, dataLength, dimensions);
        }

        byte[] values = rawLength is null ? ReadGrowing(stream, path, headerLength, dataLength, dimensions) : ReadExactly(stream, path, headerLength, dataLength, dimensions);
        position = headerLength + dataLength;
        if (stream.ReadByte() >= 0)
        {
            throw new DataFileException(path, position, $"unexpected bytes after the {Describe(dimensions)} = {dataLength} data bytes the header declares.");
        }

        return new IdxArray(path, dimensions, values);
    }

    /// <summary>Reads data whose presence is already known (a raw file of the right length).</summary>
    private static byte[] ReadExactly(Stream stream, string path, long headerLength, long dataLength, int[] dimensions)
    {
        byte[] values = new byte[dataLength];
        int read = stream.ReadAtLeast(values, values.Length, throwOnEndOfStream: false);
        if (read < values.Length)
        {
            throw Truncated(path, headerLength, read, dataLength, dimensions);
        }

        return values;
    }

    /// <summary>
    /// Reads data whose size only the header vouches for: the buffer starts at <see cref="FirstChunk"/> and doubles
    /// (capped at the declared size) only once it is full, so memory follows the bytes that really arrive.
    /// </summary>
    private static byte[] ReadGrowing(Stream stream, string path, long headerLength, long dataLength, int[] dimensions)
    {
        byte[] values = new byte[Math.Min(dataLength, FirstChunk)];
        int filled = 0;
        while (true)
        {
            filled += stream.ReadAtLeast(values.AsSpan(filled), values.Length - filled, throwOnEndOfStream: false);
            if (filled < values.Length)
            {
                throw Truncated(path, headerLength, filled, dataLength, dimensions);
            }

            if (filled == dataLength)
            {
                return values;
            }

            Array.Resize(ref values, (int)Math.Min(dataLength, 2L * values.Length));
        }
    }

    private static DataFileException Truncated(string path, long headerLength, long read, long dataLength, int[] dimensions) =>
        new(path, headerLength + read, $"truncated: the data ends here, but the header declares {Describe(dimensions)} = {dataLength} data bytes after the {headerLength}-byte header.");

    private static int ReadHeaderBytes(Stream stream, Span<byte> buffer, string path, long position, string what)
    {
        int read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        if (read < buffer.Length)
        {
            throw new DataFileException(path, position + read, $"truncated header: the file ends inside {what}.");
        }

        return read;
    }

    private static void CheckLength(string path, long actual, long headerLength, long dataLength, int[] dimensions)
    {
        long expected = headerLength + dataLength;
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
