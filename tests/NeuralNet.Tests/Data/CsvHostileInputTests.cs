using System.Globalization;
using System.Text;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Data;

namespace NeuralNet.Tests.Data;

/// <summary>Delimited files that are huge, ambiguous, damaged or out of range (issue 12, items 3, 7, 8, 9, 13, 14).</summary>
public sealed class CsvHostileInputTests : IDisposable
{
    private readonly TempFiles files = new();

    public void Dispose() => files.Dispose();

    [Fact]
    public void Csv_TwentyMegabyteCell_IsQuotedAsFortyCharacterPrefixWithoutCopying()
    {
        string path = files.Write("huge-cell.csv", Encoding.ASCII.GetBytes("1,2\n3," + new string('x', 20_000_000) + "\n"));

        long before = GC.GetAllocatedBytesForCurrentThread();
        Exception? error = Record.Exception(() => CsvLoader.ReadMatrix<double>(path));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        error.Should().BeOfType<DataFileException>()
            .Which.Message.Should().Be($"{path}: line 2, column 2: '{new string('x', 40)}…' is not a finite number.");
        allocated.Should().BeLessThan(100L << 20, "reading a 20 MB cell may buffer it, but must not copy it into strings and messages");
    }

    [Fact]
    public void Csv_QuotedCell_IsShownWithControlCharactersEscaped()
    {
        string path = files.WriteText("control.csv", "1,\"a\nb\tc\"\n");

        Action read = () => CsvLoader.ReadMatrix<double>(path);

        read.Should().Throw<DataFileException>().WithMessage($"{path}: line 1, column 2: 'a\\nb\\tc' is not a finite number.");
    }

    [Fact]
    public void Csv_LongLabel_IsQuotedAsBoundedPrefix()
    {
        string path = files.WriteText("label.csv", "1,0\n2," + new string('7', 100) + ".5\n");

        Action read = () => CsvLoader.ReadClassification<double>(path);

        read.Should().Throw<DataFileException>().WithMessage($"{path}: line 2, column 2: the label '{new string('7', 40)}…' is not a class index*");
    }

    [Fact]
    public void Csv_DecimalComma_IsRefusedNotReadAsGroupSeparator()
    {
        string path = files.WriteText("semicolon.csv", "1,5;2\n3;4\n");

        Action read = () => CsvLoader.ReadMatrix<double>(path, new CsvFormat { Separator = ';' });

        read.Should().Throw<DataFileException>()
            .Where(e => e.Line == 1 && e.Column == 1)
            .WithMessage($"{path}: line 1, column 1: '1,5' is not a number*group*CsvFormat.Culture*");
    }

    [Fact]
    public void Csv_GroupSeparatorInCommaFreeFile_IsRefused()
    {
        string path = files.WriteText("thousands.txt", "1,000 2\n");

        Action read = () => CsvLoader.ReadMatrix<double>(path, CsvFormat.Space);

        read.Should().Throw<DataFileException>().WithMessage($"{path}: line 1, column 1: '1,000' is not a number*");
    }

    [Fact]
    public void Csv_CultureWithDecimalCommas_ReadsThem()
    {
        string path = files.WriteText("semicolon.csv", "1,5;2\n3;-4,25\n");
        var commas = (CultureInfo)CultureInfo.InvariantCulture.Clone();
        commas.NumberFormat.NumberDecimalSeparator = ",";
        commas.NumberFormat.NumberGroupSeparator = ".";

        Matrix<double> table = CsvLoader.ReadMatrix<double>(path, new CsvFormat { Separator = ';', Culture = commas });

        table.ToColumnArrays().Should().BeEquivalentTo(new[] { new[] { 1.5, 2 }, new[] { 3, -4.25 } }, o => o.WithStrictOrdering());
    }

    [Fact]
    public void Csv_FloatCellBeyondFloatRange_IsRejectedNotReadAsInfinity()
    {
        string path = files.WriteText("big.csv", "1,2\n3,1e39\n");

        Action read = () => CsvLoader.ReadMatrix<float>(path);

        read.Should().Throw<DataFileException>()
            .Where(e => e.Line == 2 && e.Column == 2)
            .WithMessage($"{path}: line 2, column 2: '1e39' is not a finite number*Single*");
        CsvLoader.ReadMatrix<double>(path)[1, 1].Should().Be(1e39, "the same cell is a finite double");
    }

    [Theory]
    [InlineData("3.00000001")]
    [InlineData("16777217.5")]
    [InlineData("3.0000000000000001")]
    [InlineData("1e0")]
    [InlineData("-1")]
    [InlineData("")]
    public void ReadClassification_LabelNotExactlyNonNegativeInteger_IsRejectedInFloatAndDouble(string label)
    {
        string path = files.WriteText("labels.csv", $"0.5,1\n0.25,{label}\n");

        Action readFloat = () => CsvLoader.ReadClassification<float>(path);
        Action readDouble = () => CsvLoader.ReadClassification<double>(path);

        readFloat.Should().Throw<DataFileException>().Where(e => e.Line == 2 && e.Column == 2).WithMessage($"*the label '{label}' is not a class index*");
        readDouble.Should().Throw<DataFileException>().Where(e => e.Line == 2 && e.Column == 2).WithMessage($"*the label '{label}' is not a class index*");
    }

    [Fact]
    public void ReadClassification_LargeIntegerLabel_IsReadExactlyInFloat()
    {
        string path = files.WriteText("labels.csv", "0.5,16777217\n0.25,3.000\n");

        Dataset<float> data = CsvLoader.ReadClassification<float>(path);

        data.Labels.Should().Equal(16777217, 3);
        data.ClassCount.Should().Be(16777218);
    }

    [Fact]
    public void Csv_Features_RoundToTheNearestFloat()
    {
        string path = files.WriteText("features.csv", "16777217,0.1\n");

        Matrix<float> table = CsvLoader.ReadMatrix<float>(path);

        table[0, 0].Should().Be(16777216f, "16777217 is halfway between two floats and rounds to the even one");
        table[1, 0].Should().Be(0.1f);
    }

    [Fact]
    public void ReadClassification_LargestIntLabel_IsRejectedInsteadOfOverflowingClassCount()
    {
        string path = files.WriteText("labels.csv", "0.5,1\n0.25,2147483647\n");

        Action read = () => CsvLoader.ReadClassification<double>(path);

        read.Should().Throw<DataFileException>()
            .Where(e => e.Line == 2 && e.Column == 2)
            .WithMessage($"{path}: line 2, column 2: the label 2147483647 is too large: the class count (largest label + 1) would not fit in an int.");
    }

    [Fact]
    public void ReadClassification_LabelAtOrAboveClassCount_NamesItsLine()
    {
        string path = files.WriteText("labels.csv", "0.5,1\n\n0.25,3\n");

        Action read = () => CsvLoader.ReadClassification<double>(path, classCount: 3);

        read.Should().Throw<DataFileException>()
            .Where(e => e.Line == 3 && e.Column == 2)
            .WithMessage($"{path}: line 3, column 2: the label 3 is outside the 3 classes [0, 2].");
    }

    [Fact]
    public void ReadClassification_OneColumnFile_IsRefusedForHavingNoFeatures()
    {
        string path = files.WriteText("labels-only.csv", "0\n1\n2\n");

        Action read = () => CsvLoader.ReadClassification<double>(path);

        read.Should().Throw<DataFileException>().WithMessage($"{path}: line 1, column 1: *only the label*no features*");
    }

    [Fact]
    public void Csv_LineNumbers_CountBlankLinesAndLinesInsideQuotedFields()
    {
        // Lines: 1 header, 2 blank, 3 data, 4 blank, 5-6 one record with a quoted line break, 7 blank, 8 the bad cell.
        string path = files.WriteText("lines.csv", "a,b\n\n1,2\n\n\"3\n\",4\n\n5,x\n");

        Action read = () => CsvLoader.ReadMatrix<double>(path, CsvFormat.Comma with { HasHeader = true });

        read.Should().Throw<DataFileException>().Where(e => e.Line == 8 && e.Column == 2).WithMessage($"{path}: line 8, column 2: 'x' is not a finite number.");
    }

    [Fact]
    public void Csv_BadCellInMultiLineRecord_IsReportedAtTheRecordsFirstLine()
    {
        string path = files.WriteText("lines.csv", "1,2\n\n\"3\n3\",4\n");

        Action read = () => CsvLoader.ReadMatrix<double>(path);

        read.Should().Throw<DataFileException>().Where(e => e.Line == 3 && e.Column == 1).WithMessage($"{path}: line 3, column 1: '3\\n3' is not a finite number.");
    }

    [Fact]
    public void ReadClassification_LabelErrorAfterBlankLines_NamesTheRightLine()
    {
        string path = files.WriteText("lines.csv", "x,label\n\n1,0\n\n\n2,0.5\n");

        Action read = () => CsvLoader.ReadClassification<double>(path, format: CsvFormat.Comma with { HasHeader = true });

        read.Should().Throw<DataFileException>().Where(e => e.Line == 6 && e.Column == 2);
    }

    [Fact]
    public void Csv_TruncatedGzip_IsAnErrorNotASmallerDataSet()
    {
        byte[] text = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, 20_000).Select(i => $"{i}\n")));
        byte[] gzip = TempFiles.Compress(text);
        string path = files.Write("column.csv.gz", gzip[..(gzip.Length / 2)]);

        Action read = () => CsvLoader.ReadMatrix<double>(path);

        read.Should().Throw<DataFileException>().Where(e => e.FilePath == path).WithMessage($"{path}: *gzip*");
    }

    [Fact]
    public void Csv_GzipMissingItsTrailer_IsAnError()
    {
        byte[] gzip = TempFiles.Compress(Encoding.ASCII.GetBytes("1,2\n3,4\n"));
        string path = files.Write("table.csv.gz", gzip[..^8]);

        Action read = () => CsvLoader.ReadMatrix<double>(path);

        read.Should().Throw<DataFileException>().WithMessage($"{path}: at byte 8: *gzip*");
    }

    [Fact]
    public void Csv_DamagedGzip_IsDataFileExceptionNotInvalidDataException()
    {
        byte[] text = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, 2_000).Select(i => $"{i},{i * 7 % 13}\n")));
        byte[] gzip = TempFiles.Compress(text);
        gzip[gzip.Length / 2] ^= 0x55;
        string path = files.Write("damaged.csv.gz", gzip);

        Action read = () => CsvLoader.ReadMatrix<double>(path);

        read.Should().Throw<DataFileException>().Where(e => e.FilePath == path);
    }

    [Fact]
    public void Csv_GzipFromNonSeekableStream_IsDecompressed()
    {
        byte[] gzip = TempFiles.Compress(Encoding.ASCII.GetBytes("1,2\n3,4\n"));
        using var pipe = new NonSeekableStream(gzip, chunk: 3);

        Matrix<double> table = CsvLoader.ReadMatrix<double>(pipe, "pipe.csv.gz", CsvFormat.Comma);

        table.ToColumnArrays().Should().BeEquivalentTo(new[] { new[] { 1.0, 2 }, new[] { 3.0, 4 } }, o => o.WithStrictOrdering());
    }

    [Fact]
    public void Csv_TruncatedGzipFromNonSeekableStream_IsRejectedWithTheGivenName()
    {
        byte[] gzip = TempFiles.Compress(Encoding.ASCII.GetBytes("1,2\n3,4\n"));
        using var pipe = new NonSeekableStream(gzip[..^3], chunk: 5);

        Action read = () => CsvLoader.ReadMatrix<double>(pipe, "pipe.csv.gz", CsvFormat.Comma);

        read.Should().Throw<DataFileException>().Where(e => e.FilePath == "pipe.csv.gz");
    }

    [LinuxFact]
    public void Csv_GzipFromFifo_IsRead()
    {
        string fifo = files.Fifo("table.csv.gz");
        byte[] gzip = TempFiles.Compress(Encoding.ASCII.GetBytes("0.5,0\n0.25,1\n"));

        Dataset<double> data = TempFiles.ReadThroughFifo(fifo, gzip, path => CsvLoader.ReadClassification<double>(path));

        data.Labels.Should().Equal(0, 1);
        data.Features.Row(0).ToArray().Should().Equal(0.5, 0.25);
    }

    [LinuxFact]
    public void Csv_PlainFileFromFifo_IsRead()
    {
        string fifo = files.Fifo("table.csv");

        Matrix<float> table = TempFiles.ReadThroughFifo(fifo, Encoding.ASCII.GetBytes("1,2\n"), path => CsvLoader.ReadMatrix<float>(path));

        table.Column(0).ToArray().Should().Equal(1f, 2f);
    }
}
