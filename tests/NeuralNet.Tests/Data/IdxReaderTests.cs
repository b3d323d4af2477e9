using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Data;

namespace NeuralNet.Tests.Data;

public sealed class IdxReaderTests : IDisposable
{
    // Three 2 × 2 "images": item k holds bytes 10k+1 … 10k+4 in row-major order.
    private static readonly byte[] ImageData = [1, 2, 3, 4, 11, 12, 13, 14, 21, 22, 23, 255];
    private readonly TempFiles files = new();

    public void Dispose() => files.Dispose();

    [Fact]
    public void Read_RawFile_ReturnsDimensionsAndBytes()
    {
        string path = files.Write("images-idx3-ubyte", IdxBytes.Build([3, 2, 2], ImageData));

        IdxArray array = IdxReader.Read(path);

        array.Dimensions.Should().Equal(3, 2, 2);
        array.Values.Should().Equal(ImageData);
        array.ItemCount.Should().Be(3);
        array.ItemSize.Should().Be(4);
    }

    [Fact]
    public void ReadImages_PutsOneItemPerColumnScaledToUnitRange()
    {
        string path = files.Write("images-idx3-ubyte", IdxBytes.Build([3, 2, 2], ImageData));

        Matrix<double> images = IdxReader.ReadImages<double>(path);

        images.RowCount.Should().Be(4);
        images.ColumnCount.Should().Be(3);
        images.Column(1).ToArray().Should().Equal(11 / 255.0, 12 / 255.0, 13 / 255.0, 14 / 255.0);
        images[3, 2].Should().Be(1.0);
        images[0, 0].Should().Be(1 / 255.0);
    }

    [Fact]
    public void ReadImages_AppliesTheGivenScale()
    {
        string path = files.Write("images-idx3-ubyte", IdxBytes.Build([3, 2, 2], ImageData));

        Matrix<float> images = IdxReader.ReadImages<float>(path, scale: 1);

        images.Column(2).ToArray().Should().Equal(21f, 22f, 23f, 255f);
    }

    [Fact]
    public void Read_GzippedAndRawFiles_ReadTheSame()
    {
        byte[] bytes = IdxBytes.Build([3, 2, 2], ImageData);
        string raw = files.Write("raw", bytes);
        string gzipped = files.WriteGzip("compressed.gz", bytes);

        IdxReader.ReadImages<float>(gzipped).Should().Be(IdxReader.ReadImages<float>(raw));
    }

    [Fact]
    public void ReadLabels_ReturnsTheLabelBytes()
    {
        string path = files.WriteGzip("labels-idx1-ubyte.gz", IdxBytes.Build([5], [9, 0, 3, 7, 1]));

        IdxReader.ReadLabels(path).Should().Equal(9, 0, 3, 7, 1);
    }

    [Fact]
    public void ReadLabels_FileWithMoreThanOneDimension_IsRejected()
    {
        string path = files.Write("images", IdxBytes.Build([3, 2, 2], ImageData));

        Action read = () => IdxReader.ReadLabels(path);

        read.Should().Throw<DataFileException>().WithMessage($"{path}:*one dimension*3 dimensions*");
    }

    [Fact]
    public void Read_WrongMagicNumber_IsRejectedNamingFileAndByte()
    {
        byte[] bytes = IdxBytes.Build([3, 2, 2], ImageData);
        bytes[0] = 0x50; // e.g. a PNG or text file given by mistake
        string path = files.Write("not-idx", bytes);

        Action read = () => IdxReader.Read(path);

        read.Should().Throw<DataFileException>()
            .Where(e => e.FilePath == path && e.BytePosition == 0)
            .WithMessage($"{path}: at byte 0: wrong magic number 0x50000803*");
    }

    [Fact]
    public void Read_UnsupportedElementType_IsRejected()
    {
        string path = files.Write("floats", IdxBytes.Build([1], [0, 0, 0, 0], typeCode: 0x0D));

        Action read = () => IdxReader.Read(path);

        read.Should().Throw<DataFileException>().WithMessage($"{path}: at byte 2: element type code 0x0D is not supported*");
    }

    [Fact]
    public void Read_TruncatedRawData_IsRejectedWithThePositionWhereItEnds()
    {
        byte[] bytes = IdxBytes.Build([3, 2, 2], ImageData);
        string path = files.Write("truncated", bytes[..^5]); // 16-byte header + 7 of 12 data bytes

        Action read = () => IdxReader.Read(path);

        read.Should().Throw<DataFileException>()
            .Where(e => e.BytePosition == 23)
            .WithMessage($"{path}: at byte 23: truncated: the file is 23 bytes, but its header declares 3 × 2 × 2 = 12 data bytes*");
    }

    [Fact]
    public void Read_CutOffGzipStream_IsRejectedNamingTheFile()
    {
        byte[] compressed = TempFiles.Compress(IdxBytes.Build([3, 2, 2], ImageData));
        string path = files.Write("cut.gz", compressed[..^12]);

        Action read = () => IdxReader.Read(path);

        read.Should().Throw<DataFileException>().Where(e => e.FilePath == path).WithMessage($"{path}: at byte *");
    }

    [Fact]
    public void Read_HeaderSizesLargerThanTheFile_AreRejectedBeforeAllocating()
    {
        // 2,000,000,000 × 28 × 28 bytes would be 1.5 TB: must be refused from the header alone.
        string path = files.Write("huge", IdxBytes.Build([2_000_000_000, 28, 28], ImageData));

        Action read = () => IdxReader.Read(path);

        read.Should().Throw<DataFileException>().WithMessage($"{path}: at byte 8: the header declares 2000000000 × 28 bytes, more than one array can hold.");
    }

    [Fact]
    public void Read_BytesAfterTheDeclaredData_AreRejected()
    {
        string path = files.Write("long", IdxBytes.Build([2, 2, 2], ImageData)); // declares 8, holds 12

        Action read = () => IdxReader.Read(path);

        read.Should().Throw<DataFileException>().Where(e => e.BytePosition == 24).WithMessage($"{path}: at byte 24: the file is 28 bytes, but its header declares 2 × 2 × 2 = 8 data bytes*");
    }

    [Fact]
    public void Read_FileEndingInsideTheHeader_IsRejected()
    {
        string path = files.Write("short", IdxBytes.Build([3, 2, 2], ImageData)[..10]);

        Action read = () => IdxReader.Read(path);

        read.Should().Throw<DataFileException>().WithMessage($"{path}: at byte 10: truncated header: the file ends inside dimension 2 of 3.");
    }

    [Fact]
    public void Read_ZeroDimensionCount_IsRejected()
    {
        string path = files.Write("rank0", [0, 0, 8, 0]);

        Action read = () => IdxReader.Read(path);

        read.Should().Throw<DataFileException>().WithMessage($"{path}: at byte 3: the header declares 0 dimensions*");
    }

    [Fact]
    public void Read_MissingFile_IsReportedByName()
    {
        string path = Path.Combine(files.Directory, "absent.gz");

        Action read = () => IdxReader.Read(path);

        read.Should().Throw<FileNotFoundException>().WithMessage($"*{path}*");
    }
}
