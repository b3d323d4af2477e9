using System.Buffers.Binary;

namespace NeuralNet.Data;

/// <summary>
/// The header of a <see cref="SampleFile{T}"/> and where everything after it lies (docs/sample-file-format.md):
/// magic, version, encoding, shape, counts, then the labels, then one fixed-size record per sample.
/// </summary>
internal sealed record SampleFileLayout(SampleEncoding Encoding, Shape SampleShape, int Count, int ClassCount, int TargetCount)
{
    public const ushort Version = 1;
    public const int MaxRank = 8;
    public static ReadOnlySpan<byte> Magic => "NNSAMPLE"u8;

    /// <summary>Bytes of the header: magic 8, version 2, encoding 1, rank 1, dimensions 4 each, count 8, classes 4, targets 4.</summary>
    public int HeaderBytes => 8 + 2 + 1 + 1 + (4 * SampleShape.Rank) + 8 + 4 + 4;

    /// <summary>Bytes per feature value.</summary>
    public int ValueBytes => Encoding == SampleEncoding.Float32 ? 4 : 1;

    /// <summary>Where the labels start (4 bytes each, classification only).</summary>
    public long LabelsOffset => HeaderBytes;

    /// <summary>Where the first record starts.</summary>
    public long RecordsOffset => LabelsOffset + (ClassCount > 0 ? 4L * Count : 0);

    /// <summary>Bytes of one record: the features in <see cref="Encoding"/>, then the targets as float32.</summary>
    public int RecordBytes => checked((SampleShape.Size * ValueBytes) + (4 * TargetCount));

    /// <summary>The exact length of a complete file.</summary>
    public long FileLength => RecordsOffset + ((long)RecordBytes * Count);

    /// <summary>The header's bytes.</summary>
    public byte[] ToHeader()
    {
        byte[] header = new byte[HeaderBytes];
        Span<byte> span = header;
        Magic.CopyTo(span);
        BinaryPrimitives.WriteUInt16LittleEndian(span[8..], Version);
        span[10] = (byte)Encoding;
        span[11] = (byte)SampleShape.Rank;
        int at = 12;
        for (int d = 0; d < SampleShape.Rank; d++, at += 4)
        {
            BinaryPrimitives.WriteInt32LittleEndian(span[at..], SampleShape[d]);
        }

        BinaryPrimitives.WriteInt64LittleEndian(span[at..], Count);
        BinaryPrimitives.WriteInt32LittleEndian(span[(at + 8)..], ClassCount);
        BinaryPrimitives.WriteInt32LittleEndian(span[(at + 12)..], TargetCount);
        return header;
    }

    /// <summary>Reads and checks the header of the file behind <paramref name="file"/>.</summary>
    /// <exception cref="InvalidDataException">The file is not a sample file, or its header or length is impossible; names the file and the field.</exception>
    public static SampleFileLayout Read(Microsoft.Win32.SafeHandles.SafeFileHandle file, string path)
    {
        Span<byte> start = stackalloc byte[12];
        ReadExactly(file, start, 0, path, "header");
        if (!start[..8].SequenceEqual(Magic))
        {
            throw Damaged(path, "it does not start with \"NNSAMPLE\", so it is not a sample file written by SampleFile.Write");
        }

        ushort version = BinaryPrimitives.ReadUInt16LittleEndian(start[8..]);
        if (version != Version)
        {
            throw Damaged(path, $"version {version} is not supported (this library reads version {Version})");
        }

        var encoding = (SampleEncoding)start[10];
        if (!Enum.IsDefined(encoding))
        {
            throw Damaged(path, $"byte 10 (encoding) is {start[10]}; it must be 1 (float32) or 2 (uint8)");
        }

        int rank = start[11];
        if (rank is < 1 or > MaxRank)
        {
            throw Damaged(path, $"byte 11 (rank) is {rank}; it must be 1 to {MaxRank}");
        }

        Span<byte> rest = stackalloc byte[(4 * rank) + 16];
        ReadExactly(file, rest, 12, path, "header");
        int[] dimensions = new int[rank];
        long size = 1;
        for (int d = 0; d < rank; d++)
        {
            dimensions[d] = BinaryPrimitives.ReadInt32LittleEndian(rest[(4 * d)..]);
            size *= Math.Max(dimensions[d], 0);
            if (dimensions[d] < 1 || size > Array.MaxLength)
            {
                throw Damaged(path, $"dimension {d} of the sample shape is {dimensions[d]}; every dimension is ≥ 1 and a sample has at most {Array.MaxLength} values");
            }
        }

        int at = 4 * rank;
        long count = BinaryPrimitives.ReadInt64LittleEndian(rest[at..]);
        int classes = BinaryPrimitives.ReadInt32LittleEndian(rest[(at + 8)..]);
        int targets = BinaryPrimitives.ReadInt32LittleEndian(rest[(at + 12)..]);
        if (count is < 0 or > int.MaxValue)
        {
            throw Damaged(path, $"the sample count is {count}; it must be 0 to {int.MaxValue}");
        }

        if (classes < 0 || targets < 0 || (classes > 0) == (targets > 0) || targets > Array.MaxLength / 4)
        {
            throw Damaged(path, $"it has {classes} classes and {targets} targets per sample; exactly one of the two is positive");
        }

        var layout = new SampleFileLayout(encoding, Shape.Of(dimensions), (int)count, classes, targets);
        if ((long)layout.SampleShape.Size * layout.ValueBytes + (4L * targets) > int.MaxValue)
        {
            throw Damaged(path, "a record would be larger than 2 GB");
        }

        long length = RandomAccess.GetLength(file);
        if (length != layout.FileLength)
        {
            throw Damaged(path, $"it is {length} bytes long, but its header describes {layout.FileLength} bytes ({count} records of {layout.RecordBytes} bytes); the file is truncated or has extra bytes");
        }

        return layout;
    }

    /// <summary>Fills <paramref name="buffer"/> from <paramref name="offset"/>, however many reads it takes.</summary>
    public static void ReadExactly(Microsoft.Win32.SafeHandles.SafeFileHandle file, Span<byte> buffer, long offset, string path, string what) =>
        ReadExactly(file, buffer, offset, path, what, -1);

    /// <summary>Fills <paramref name="buffer"/> with the record of <paramref name="sample"/>; builds no message unless the file ends early.</summary>
    public static void ReadRecord(Microsoft.Win32.SafeHandles.SafeFileHandle file, Span<byte> buffer, long offset, string path, int sample) =>
        ReadExactly(file, buffer, offset, path, "record of sample", sample);

    private static void ReadExactly(Microsoft.Win32.SafeHandles.SafeFileHandle file, Span<byte> buffer, long offset, string path, string what, int sample)
    {
        while (!buffer.IsEmpty)
        {
            int read = RandomAccess.Read(file, buffer, offset);
            if (read == 0)
            {
                throw Damaged(path, $"it ends at byte {offset}, inside the {what}{(sample >= 0 ? $" {sample}" : "")}");
            }

            buffer = buffer[read..];
            offset += read;
        }
    }

    public static InvalidDataException Damaged(string path, string problem) => new($"Sample file '{path}': {problem}.");
}
