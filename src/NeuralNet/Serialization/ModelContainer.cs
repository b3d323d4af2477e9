using System.Buffers.Binary;
using System.IO.Hashing;

namespace NeuralNet.Serialization;

/// <summary>
/// The envelope shared by model and checkpoint files: a fixed 20-byte header, the payload, and a CRC-32 of
/// everything before it (see <c>docs/model-format.md</c>).
/// </summary>
/// <remarks>
/// <code>
/// offset  size  field
///      0     8  magic 89 4E 4E 45 54 0D 0A 1A ("\x89NNET\r\n\x1A")
///      8     2  format version (2; 1 is still read)
///     10     1  content kind (1 model, 2 checkpoint)
///     11     1  element type (4 float32, 8 float64)
///     12     8  payload length L
///     20     L  payload
///   20+L     4  CRC-32 (IEEE) of bytes [0, 20+L)
/// </code>
/// Every header byte is either compared with an exact expected value or covered by the checksum, so a damaged
/// byte anywhere in the file is detected.
/// </remarks>
internal static class ModelContainer
{
    public const int HeaderLength = 20;
    public const int ChecksumLength = 4;
    /// <summary>The version this library writes.</summary>
    public const ushort FormatVersion = 2;

    /// <summary>The oldest version this library reads.</summary>
    public const ushort OldestReadableVersion = 1;

    /// <summary>The largest payload a reader accepts: what one .NET byte array can hold.</summary>
    public const long MaxPayloadLength = 0x7FFF_FFC7;

    private const int InitialChunk = 1 << 20;

    private static ReadOnlySpan<byte> Magic => [0x89, (byte)'N', (byte)'N', (byte)'E', (byte)'T', 0x0D, 0x0A, 0x1A];

    /// <summary>Builds a complete file image in memory (nothing touches the destination until it is whole).</summary>
    public static byte[] Build(ContentKind kind, ElementType elementType, PayloadWriter payload)
    {
        var file = new byte[HeaderLength + payload.Length + ChecksumLength];
        Span<byte> span = file;
        Magic.CopyTo(span);
        BinaryPrimitives.WriteUInt16LittleEndian(span[8..], FormatVersion);
        span[10] = (byte)kind;
        span[11] = (byte)elementType;
        BinaryPrimitives.WriteUInt64LittleEndian(span[12..], (ulong)payload.Length);
        payload.WrittenSpan.CopyTo(span[HeaderLength..]);
        uint crc = Crc32.HashToUInt32(span[..^ChecksumLength]);
        BinaryPrimitives.WriteUInt32LittleEndian(span[^ChecksumLength..], crc);
        return file;
    }

    /// <summary>
    /// Reads and verifies one file from <paramref name="stream"/>: header fields, sizes against the bytes available,
    /// then the checksum. Returns the payload, ready to parse.
    /// </summary>
    /// <param name="stream">Positioned at the magic bytes; left just after the checksum.</param>
    /// <param name="source">The file name, or a description of the stream, for messages.</param>
    /// <param name="kind">The content the caller expects.</param>
    /// <param name="elementType">The element type the caller expects.</param>
    public static byte[] Read(Stream stream, string source, ContentKind kind, ElementType elementType) =>
        Read(stream, source, kind, elementType, out _);

    /// <summary>As <see cref="Read(Stream, string, ContentKind, ElementType)"/>, also giving the file's format version.</summary>
    public static byte[] Read(Stream stream, string source, ContentKind kind, ElementType elementType, out int version)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanRead)
        {
            throw new ArgumentException("The stream is not readable.", nameof(stream));
        }

        var header = new byte[HeaderLength];
        int got = stream.ReadAtLeast(header, HeaderLength, throwOnEndOfStream: false);
        if (got < HeaderLength)
        {
            throw new ModelFormatException(got == 0
                ? $"{source}: the file is empty; expected a NeuralNet {Describe(kind)}."
                : $"{source}: truncated: {got} bytes, shorter than the {HeaderLength}-byte header.");
        }

        version = CheckHeader(header, source, kind, elementType);
        ulong claimed = BinaryPrimitives.ReadUInt64LittleEndian(header.AsSpan(12));
        if (claimed > MaxPayloadLength)
        {
            throw new ModelFormatException($"{source}: the header claims a payload of {claimed:N0} bytes, more than the {MaxPayloadLength:N0} a file may hold; the size field is damaged.");
        }

        int length = (int)claimed;
        if (stream.CanSeek)
        {
            long remaining = stream.Length - stream.Position;
            if (length + (long)ChecksumLength > remaining)
            {
                throw new ModelFormatException($"{source}: truncated or damaged size: the header claims {length:N0} payload bytes plus a {ChecksumLength}-byte checksum, but only {remaining:N0} bytes follow the header.");
            }
        }

        byte[] payload = ReadPayload(stream, length, source);
        Span<byte> stored = stackalloc byte[ChecksumLength];
        if (stream.ReadAtLeast(stored, ChecksumLength, throwOnEndOfStream: false) < ChecksumLength)
        {
            throw new ModelFormatException($"{source}: truncated: the {ChecksumLength}-byte checksum after the {length:N0}-byte payload is missing.");
        }

        var crc = new Crc32();
        crc.Append(header);
        crc.Append(payload);
        uint computed = crc.GetCurrentHashAsUInt32();
        uint expected = BinaryPrimitives.ReadUInt32LittleEndian(stored);
        if (computed != expected)
        {
            throw new ModelFormatException($"{source}: checksum mismatch (stored 0x{expected:X8}, computed 0x{computed:X8}): the file is damaged.");
        }

        return payload;
    }

    private static int CheckHeader(ReadOnlySpan<byte> header, string source, ContentKind kind, ElementType elementType)
    {
        if (!header[..8].SequenceEqual(Magic))
        {
            throw new ModelFormatException($"{source}: not a NeuralNet file (the first 8 bytes are {Convert.ToHexString(header[..8])}, expected {Convert.ToHexString(Magic)}).");
        }

        ushort version = BinaryPrimitives.ReadUInt16LittleEndian(header[8..]);
        if (version is < OldestReadableVersion or > FormatVersion)
        {
            throw new ModelFormatException($"{source}: format version {version} is not supported; this library reads versions {OldestReadableVersion} to {FormatVersion}.");
        }

        byte storedKind = header[10];
        if (storedKind != (byte)kind)
        {
            string what = storedKind switch
            {
                (byte)ContentKind.Model => "a model",
                (byte)ContentKind.Checkpoint => "a training checkpoint",
                _ => $"content kind {storedKind}, which is unknown",
            };
            throw new ModelFormatException($"{source}: the file holds {what}, not {Describe(kind)}.");
        }

        byte storedType = header[11];
        if (storedType != (byte)elementType)
        {
            throw new ModelFormatException(ElementTypes.IsKnown(storedType)
                ? $"{source}: the file holds {ElementTypes.Describe((ElementType)storedType)} values but is being loaded as {ElementTypes.Describe(elementType)}; load it with the matching element type (no silent conversion)."
                : $"{source}: unknown element type code {storedType}; expected {(byte)ElementType.Float32} (float32) or {(byte)ElementType.Float64} (float64).");
        }

        return version;
    }

    /// <summary>
    /// Reads exactly <paramref name="length"/> bytes, growing the buffer as data actually arrives so that a
    /// non-seekable stream with a lying header cannot make us allocate more than it delivers (at most twice).
    /// </summary>
    private static byte[] ReadPayload(Stream stream, int length, string source)
    {
        if (stream.CanSeek)
        {
            var exact = new byte[length];
            int read = stream.ReadAtLeast(exact, length, throwOnEndOfStream: false);
            return read == length ? exact : throw Truncated(source, length, read);
        }

        var buffer = new byte[Math.Min(length, InitialChunk)];
        int filled = 0;
        while (filled < length)
        {
            if (filled == buffer.Length)
            {
                Array.Resize(ref buffer, (int)Math.Min(length, buffer.Length * 2L));
            }

            int n = stream.Read(buffer, filled, buffer.Length - filled);
            if (n == 0)
            {
                throw Truncated(source, length, filled);
            }

            filled += n;
        }

        return buffer;
    }

    private static ModelFormatException Truncated(string source, int length, int read) =>
        new($"{source}: truncated: the header claims {length:N0} payload bytes but the data ends after {read:N0}.");

    private static string Describe(ContentKind kind) => kind == ContentKind.Model ? "a model" : "a training checkpoint";
}
