using System.Buffers.Binary;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Data;

namespace NeuralNet.Tests.Data;

/// <summary>IDX files that lie about themselves, arrive through pipes, or are damaged (issue 12, items 1, 8, 13, 14).</summary>
public sealed class IdxHostileInputTests : IDisposable
{
    private static readonly byte[] Labels = [9, 0, 3, 7, 1];
    private readonly TempFiles files = new();

    public void Dispose() => files.Dispose();

    [Fact]
    public void Idx_ThirtyByteGzipClaimingTwoGigabytes_IsRejectedWithoutAllocatingThem()
    {
        // The IDX header declares 2,147,483,392 one-byte items, and the last four bytes, where a gzip trailer keeps the
        // uncompressed size, agree: 8 + 2,147,483,392. They are really the start of a second deflate block, so the
        // decompressor waits for more input instead of checking a trailer, and the file simply ends.
        byte[] gzip =
        [
            0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 0xFF, // gzip header: deflate, no flags, no time, unknown OS
            0x00, 8, 0, 0xF7, 0xFF, // a stored, non-final deflate block of 8 bytes ...
            .. IdxBytes.Build([2_147_483_392], []), // ... holding the IDX header
            0x08, 0xFF, 0xFF, 0x7F, // another stored block begins; read as ISIZE, 0x7FFFFF08 = 8 + 2,147,483,392
        ];
        BinaryPrimitives.ReadUInt32LittleEndian(gzip.AsSpan(gzip.Length - 4)).Should().Be(2_147_483_392u + 8);
        gzip.Length.Should().BeLessThanOrEqualTo(30);
        string path = files.Write("liar-idx1-ubyte.gz", gzip);

        long before = GC.GetAllocatedBytesForCurrentThread();
        Exception? error = Record.Exception(() => IdxReader.Read(path));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        error.Should().BeOfType<DataFileException>().Which.FilePath.Should().Be(path);
        allocated.Should().BeLessThan(16L << 20, "memory must follow the data that arrives, not the 2 GB the file claims");
    }

    [Fact]
    public void Idx_HeaderSizesLargerThanGzippedFile_AreRejectedWhereDataEndsWithoutAllocating()
    {
        string path = files.WriteGzip("big.gz", IdxBytes.Build([1_000_000, 28, 28], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]));

        long before = GC.GetAllocatedBytesForCurrentThread();
        Action read = () => IdxReader.Read(path);

        read.Should().Throw<DataFileException>()
            .Where(e => e.BytePosition == 28)
            .WithMessage($"{path}: at byte 28: truncated: the data ends here, but the header declares 1000000 × 28 × 28 = 784000000 data bytes after the 16-byte header.");
        (GC.GetAllocatedBytesForCurrentThread() - before).Should().BeLessThan(16L << 20);
    }

    [Fact]
    public void Idx_TruncatedGzippedData_IsRejectedWhereItEnds()
    {
        byte[] bytes = IdxBytes.Build([3, 2, 2], [1, 2, 3, 4, 11, 12, 13, 14, 21, 22, 23, 255]);
        string path = files.WriteGzip("truncated.gz", bytes[..^5]);

        Action read = () => IdxReader.Read(path);

        read.Should().Throw<DataFileException>()
            .Where(e => e.BytePosition == 23)
            .WithMessage($"{path}: at byte 23: truncated: the data ends here, but the header declares 3 × 2 × 2 = 12 data bytes*");
    }

    [Fact]
    public void Idx_GzipCutInsideItsTrailer_IsRejectedNamingTheFile()
    {
        byte[] gzip = TempFiles.Compress(IdxBytes.Build([5], Labels));

        for (int cut = 1; cut <= 8; cut++)
        {
            string path = files.Write($"cut{cut}.gz", gzip[..^cut]);

            Action read = () => IdxReader.ReadLabels(path);

            read.Should().Throw<DataFileException>($"the last {cut} bytes are missing").Where(e => e.FilePath == path)
                .WithMessage($"{path}: at byte 13: *gzip*");
        }
    }

    [Fact]
    public void Idx_GzipMemberFollowedByOtherBytes_IsRejected()
    {
        byte[] gzip = [.. TempFiles.Compress(IdxBytes.Build([5], Labels)), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        string path = files.Write("padded.gz", gzip);

        Action read = () => IdxReader.ReadLabels(path);

        read.Should().Throw<DataFileException>().WithMessage($"{path}: at byte 13: *gzip*");
    }

    [Fact]
    public void Idx_SizesOverflowingAnArray_AreRejectedEvenAfterAZeroSize()
    {
        string path = files.Write("empty-huge", IdxBytes.Build([0, 65536, 65536], []));

        Action read = () => IdxReader.Read(path);

        read.Should().Throw<DataFileException>().WithMessage($"{path}: at byte 12: the header declares 0 × 65536 × 65536: its sizes other than 0 multiply to more bytes than one array can hold.");
    }

    [Fact]
    public void Idx_DamagedGzipChecksum_ThrowsDataFileExceptionNamingTheFile()
    {
        byte[] gzip = TempFiles.Compress(IdxBytes.Build([5], Labels));
        gzip[^6] ^= 0x10; // inside the CRC-32 of the trailer
        string path = files.Write("crc.gz", gzip);

        Action read = () => IdxReader.ReadLabels(path);

        read.Should().Throw<DataFileException>().Where(e => e.FilePath == path).WithMessage($"{path}: at byte *gzip*");
    }

    [Fact]
    public void Idx_MultiMemberGzip_ReadsAsTheConcatenationOfItsMembers()
    {
        // gzip allows several members one after another (cat a.gz b.gz); only the last trailer is at the end of the file.
        byte[] whole = IdxBytes.Build([5], Labels);
        byte[] gzip = [.. TempFiles.Compress(whole[..6]), .. TempFiles.Compress(whole[6..])];
        string path = files.Write("members.gz", gzip);

        IdxReader.ReadLabels(path).Should().Equal(9, 0, 3, 7, 1);
    }

    [LinuxFact]
    public void ReadLabels_GzipFromFifo_IsRead()
    {
        string fifo = files.Fifo("labels-idx1-ubyte.gz");
        byte[] gzip = TempFiles.Compress(IdxBytes.Build([5], Labels));

        int[] labels = TempFiles.ReadThroughFifo(fifo, gzip, IdxReader.ReadLabels);

        labels.Should().Equal(9, 0, 3, 7, 1);
    }

    [LinuxFact]
    public void ReadImages_RawFileFromFifo_IsRead()
    {
        string fifo = files.Fifo("images-idx3-ubyte");
        byte[] raw = IdxBytes.Build([2, 1, 2], [0, 255, 51, 102]);

        Matrix<float> images = TempFiles.ReadThroughFifo(fifo, raw, path => IdxReader.ReadImages<float>(path, scale: 1));

        images.ToColumnArrays().Should().BeEquivalentTo(new[] { new[] { 0f, 255f }, new[] { 51f, 102f } }, o => o.WithStrictOrdering());
    }

    [LinuxFact]
    public void ReadLabels_TruncatedRawFileFromFifo_IsRejectedWhereItEnds()
    {
        string fifo = files.Fifo("short-idx1-ubyte");
        byte[] raw = IdxBytes.Build([5], Labels)[..^2];

        Action read = () => TempFiles.ReadThroughFifo(fifo, raw, IdxReader.ReadLabels);

        read.Should().Throw<DataFileException>().WithMessage($"{fifo}: at byte 11: truncated*");
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    [InlineData(0.0)]
    [InlineData(-1.0 / 255)]
    public void ReadImages_ScaleNotFiniteAndPositive_IsRefused(double scale)
    {
        string path = files.Write("images", IdxBytes.Build([1, 2, 2], [1, 2, 3, 4]));

        Action read = () => IdxReader.ReadImages<float>(path, scale);

        read.Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "scale");
    }

    [Fact]
    public void ReadImages_ScaleOverflowingTheElementType_IsRefused()
    {
        string path = files.Write("images", IdxBytes.Build([1, 2, 2], [1, 2, 3, 4]));

        Action read = () => IdxReader.ReadImages<float>(path, 1e37);

        read.Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "scale").WithMessage("*Single*255 × scale must be finite*");
    }

    [Fact]
    public void ReadImages_FileWithNoImages_IsRejected()
    {
        string path = files.Write("empty-images", IdxBytes.Build([0, 28, 28], []));

        Action read = () => IdxReader.ReadImages<float>(path);

        read.Should().Throw<DataFileException>().WithMessage($"{path}: at byte 4: *no images*");
    }
}
