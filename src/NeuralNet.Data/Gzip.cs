using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;

namespace NeuralNet.Data;

/// <summary>
/// Recognises gzip data by its magic bytes, so readers accept compressed and raw files alike, and checks that the
/// gzip data is complete: .NET's <see cref="GZipStream"/> verifies each member's checksum when it reaches the member's
/// end, but a stream that simply stops (a truncated download or copy) looks like a shorter file to it.
/// </summary>
internal static class Gzip
{
    /// <summary>The first two bytes of every gzip member (RFC 1952).</summary>
    private const byte Id1 = 0x1F;
    private const byte Id2 = 0x8B;

    /// <summary>
    /// Opens <paramref name="source"/> for reading, decompressing it when it starts with the gzip magic bytes. The
    /// bytes are peeked, not sought back to, so pipes, FIFOs and network streams work.
    /// </summary>
    /// <param name="source">The data, positioned at its first byte.</param>
    /// <param name="name">The file or stream name that errors report.</param>
    /// <param name="leaveOpen">Whether disposing the result leaves <paramref name="source"/> open.</param>
    /// <returns>
    /// The readable data; <c>RawLength</c> is the number of bytes it holds when that is known before reading (a raw,
    /// seekable source), else <see langword="null"/>.
    /// </returns>
    public static (Stream Data, long? RawLength) Open(Stream source, string name, bool leaveOpen)
    {
        Span<byte> magic = stackalloc byte[2];
        int read = source.ReadAtLeast(magic, magic.Length, throwOnEndOfStream: false);
        bool gzipped = read == 2 && magic[0] == Id1 && magic[1] == Id2;
        if (!gzipped && source.CanSeek)
        {
            source.Seek(-read, SeekOrigin.Current);
            return (leaveOpen ? new KeepOpenStream(source) : source, source.Length - source.Position);
        }

        var replayed = new PrefixedStream(magic[..read].ToArray(), source, leaveOpen);
        return gzipped ? (new CheckedGzipStream(replayed, name), null) : (replayed, null);
    }

    /// <summary>CRC-32 of <c>A‖B</c> from the CRC-32 of <c>A</c>, the CRC-32 of <c>B</c> and the length of <c>B</c> (zlib's <c>crc32_combine</c>).</summary>
    public static uint Combine(uint first, uint second, long secondLength)
    {
        // Shifting a CRC by n bytes multiplies it by x^(8n) modulo the CRC polynomial; x^(2^k) is found by squaring.
        uint power = 1u << 31; // x^0, in the reflected bit order of CRC-32
        uint square = 1u << 30; // x^1
        for (int i = 0; i < 3; i++)
        {
            square = MultiplyModulo(square, square); // x^8: one byte
        }

        for (long n = secondLength; n != 0; n >>= 1)
        {
            if ((n & 1) != 0)
            {
                power = MultiplyModulo(square, power);
            }

            square = MultiplyModulo(square, square);
        }

        return MultiplyModulo(power, first) ^ second;
    }

    /// <summary>a·b modulo the CRC-32 polynomial (reflected); <paramref name="a"/> must not be zero.</summary>
    private static uint MultiplyModulo(uint a, uint b)
    {
        const uint Polynomial = 0xEDB88320;
        uint product = 0;
        for (uint bit = 1u << 31; ; bit >>= 1)
        {
            if ((a & bit) != 0)
            {
                product ^= b;
                if ((a & (bit - 1)) == 0)
                {
                    return product;
                }
            }

            b = (b & 1) != 0 ? (b >> 1) ^ Polynomial : b >> 1;
        }
    }

    /// <summary>
    /// Decompresses gzip data and turns every way it can be wrong into a <see cref="DataFileException"/> at the
    /// uncompressed byte where it shows: damaged data (zlib's <see cref="InvalidDataException"/>), and data that ends
    /// before its last member's trailer or goes on after it.
    /// </summary>
    /// <remarks>
    /// <see cref="GZipStream"/> checks the CRC-32 and size in each member's trailer when the member ends, and never
    /// returns data of two members from one read. So at the end it remains to check that the last member ended: the
    /// last 8 bytes of the input must be the trailer of the output's last <c>ISIZE</c> bytes, which start at a read
    /// boundary. The CRC-32 of the output before each read is kept (16 bytes per read) to check that in O(1) time.
    /// A non-empty file whose last member is empty is refused: its trailer would look like 8 bytes of zero padding.
    /// </remarks>
    private sealed class CheckedGzipStream(PrefixedStream source, string name) : ReadOnlyStream
    {
        private readonly TailStream compressed = new(source);
        private readonly Crc32 checksum = new();
        private readonly List<(long Position, uint Crc)> readStarts = [(0, 0)];
        private GZipStream? decompressor;
        private long position;
        private bool ended;

        public override int Read(Span<byte> buffer)
        {
            if (ended || buffer.IsEmpty)
            {
                return 0;
            }

            decompressor ??= new GZipStream(compressed, CompressionMode.Decompress, leaveOpen: true);
            int read;
            try
            {
                read = decompressor.Read(buffer);
            }
            catch (InvalidDataException damaged)
            {
                throw new DataFileException(name, position, "the gzip data is damaged: it cannot be decompressed past this byte (a corrupt block, or a checksum or size that does not match the data).", damaged);
            }

            if (read == 0)
            {
                ended = true;
                CheckEnd();
                return 0;
            }

            checksum.Append(buffer[..read]);
            position += read;
            readStarts.Add((position, checksum.GetCurrentHashAsUInt32()));
            return read;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                decompressor?.Dispose();
                source.Dispose();
            }

            base.Dispose(disposing);
        }

        private void CheckEnd()
        {
            // Bytes the decompressor ignored (after a member, not starting another) are still in the source.
            compressed.CopyTo(Stream.Null);
            ReadOnlySpan<byte> tail = compressed.Tail;
            if (tail.Length == 8)
            {
                uint crc = BinaryPrimitives.ReadUInt32LittleEndian(tail);
                uint size = BinaryPrimitives.ReadUInt32LittleEndian(tail[4..]);
                uint whole = checksum.GetCurrentHashAsUInt32();

                // ISIZE is the last member's size modulo 2^32; its data starts at one of the recorded read boundaries.
                // An empty last member is accepted only as the whole file (gzip of nothing): after data, its trailer
                // (8 zero bytes) would be indistinguishable from zero padding or a cut through zeros.
                long first = size == 0 && position > 0 ? -1 : position - size;
                for (long start = first; start >= 0; start -= 1L << 32)
                {
                    int found = readStarts.BinarySearch((start, 0), PositionComparer.Instance);
                    if (found >= 0 && Combine(readStarts[found].Crc, crc, position - start) == whole)
                    {
                        return;
                    }
                }
            }

            throw new DataFileException(
                name, position, "the gzip data ends early or is followed by other bytes: its last 8 bytes are not the checksum and size of the data it decompressed to (a truncated or damaged file).");
        }
    }

    private sealed class PositionComparer : IComparer<(long Position, uint Crc)>
    {
        public static PositionComparer Instance { get; } = new();

        public int Compare((long Position, uint Crc) x, (long Position, uint Crc) y) => x.Position.CompareTo(y.Position);
    }

    /// <summary>Passes reads through and remembers the last 8 bytes read (a gzip trailer, at the end).</summary>
    private sealed class TailStream(Stream source) : ReadOnlyStream
    {
        private readonly byte[] tail = new byte[8];
        private int tailLength;

        public ReadOnlySpan<byte> Tail => tail.AsSpan(8 - tailLength);

        public override int Read(Span<byte> buffer)
        {
            int read = source.Read(buffer);
            if (read >= 8)
            {
                buffer.Slice(read - 8, 8).CopyTo(tail);
                tailLength = 8;
            }
            else if (read > 0)
            {
                tail.AsSpan(read).CopyTo(tail);
                buffer[..read].CopyTo(tail.AsSpan(8 - read));
                tailLength = Math.Min(8, tailLength + read);
            }

            return read;
        }
    }

    /// <summary>Replays the bytes peeked from a stream, then reads the rest of it.</summary>
    private sealed class PrefixedStream(byte[] prefix, Stream source, bool leaveOpen) : ReadOnlyStream
    {
        private int replayed;

        public override int Read(Span<byte> buffer)
        {
            if (replayed < prefix.Length && !buffer.IsEmpty)
            {
                int count = Math.Min(buffer.Length, prefix.Length - replayed);
                prefix.AsSpan(replayed, count).CopyTo(buffer);
                replayed += count;
                return count;
            }

            return source.Read(buffer);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing && !leaveOpen)
            {
                source.Dispose();
            }

            base.Dispose(disposing);
        }
    }

    /// <summary>A seekable source that disposing does not close.</summary>
    private sealed class KeepOpenStream(Stream source) : ReadOnlyStream
    {
        public override int Read(Span<byte> buffer) => source.Read(buffer);
    }
}

/// <summary>A forward-only, read-only stream: subclasses implement <see cref="Read(Span{byte})"/>.</summary>
internal abstract class ReadOnlyStream : Stream
{
    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public abstract override int Read(Span<byte> buffer);

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int ReadByte()
    {
        Span<byte> one = stackalloc byte[1];
        return Read(one) == 1 ? one[0] : -1;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
