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
    public void A_20_MB_cell_is_quoted_as_a_40_character_prefix_without_copying_it()
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
    public void A_quoted_cell_is_shown_with_its_control_characters_escaped()
    {
        string path = files.WriteText("control.csv", "1,\"a\nb\tc\"\n");

        Action read = () => CsvLoader.ReadMatrix<double>(path);

        read.Should().Throw<DataFileException>().WithMessage($"{path}: line 1, column 2: 'a\\nb\\tc' is not a finite number.");
    }

    [Fact]
    public void A_long_label_is_quoted_as_a_bounded_prefix()
    {
        string path = files.WriteText("label.csv", "1,0\n2," + new string('7', 100) + ".5\n");

        Action read = () => CsvLoader.ReadClassification<double>(path);

        read.Should().Throw<DataFileException>().WithMessage($"{path}: line 2, column 2: the label '{new string('7', 40)}…' is not a class index*");
    }

    [Fact]
    public void A_decimal_comma_is_refused_rather_than_read_as_a_group_separator()
    {
        string path = files.WriteText("semicolon.csv", "1,5;2\n3;4\n");

        Action read = () => CsvLoader.ReadMatrix<double>(path, new CsvFormat { Separator = ';' });

        read.Should().Throw<DataFileException>()
            .Where(e => e.Line == 1 && e.Column == 1)
            .WithMessage($"{path}: line 1, column 1: '1,5' is not a number*group*CsvFormat.Culture*");
    }

    [Fact]
    public void Group_separators_are_refused_in_comma_free_files_too()
    {
        string path = files.WriteText("thousands.txt", "1,000 2\n");

        Action read = () => CsvLoader.ReadMatrix<double>(path, CsvFormat.Space);

        read.Should().Throw<DataFileException>().WithMessage($"{path}: line 1, column 1: '1,000' is not a number*");
    }

    [Fact]
    public void A_culture_with_decimal_commas_reads_them()
    {
        string path = files.WriteText("semicolon.csv", "1,5;2\n3;-4,25\n");
        var commas = (CultureInfo)CultureInfo.InvariantCulture.Clone();
        commas.NumberFormat.NumberDecimalSeparator = ",";
        commas.NumberFormat.NumberGroupSeparator = ".";

        Matrix<double> table = CsvLoader.ReadMatrix<double>(path, new CsvFormat { Separator = ';', Culture = commas });

        table.ToColumnArrays().Should().BeEquivalentTo(new[] { new[] { 1.5, 2 }, new[] { 3, -4.25 } }, o => o.WithStrictOrdering());
    }

    [Fact]
    public void A_float_cell_beyond_the_float_range_is_rejected_not_read_as_infinity()
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
    public void A_label_that_is_not_exactly_a_non_negative_integer_is_rejected_in_float_and_double(string label)
    {
        string path = files.WriteText("labels.csv", $"0.5,1\n0.25,{label}\n");

        Action readFloat = () => CsvLoader.ReadClassification<float>(path);
        Action readDouble = () => CsvLoader.ReadClassification<double>(path);

        readFloat.Should().Throw<DataFileException>().Where(e => e.Line == 2 && e.Column == 2).WithMessage($"*the label '{label}' is not a class index*");
        readDouble.Should().Throw<DataFileException>().Where(e => e.Line == 2 && e.Column == 2).WithMessage($"*the label '{label}' is not a class index*");
    }

    [Fact]
    public void A_large_integer_label_is_read_exactly_in_float()
    {
        string path = files.WriteText("labels.csv", "0.5,16777217\n0.25,3.000\n");

        Dataset<float> data = CsvLoader.ReadClassification<float>(path);

        data.Labels.Should().Equal(16777217, 3);
        data.ClassCount.Should().Be(16777218);
    }

    [Fact]
    public void Features_round_to_the_nearest_float()
    {
        string path = files.WriteText("features.csv", "16777217,0.1\n");

        Matrix<float> table = CsvLoader.ReadMatrix<float>(path);

        table[0, 0].Should().Be(16777216f, "16777217 is halfway between two floats and rounds to the even one");
        table[1, 0].Should().Be(0.1f);
    }

    [Fact]
    public void The_largest_int_label_is_rejected_instead_of_overflowing_the_class_count()
    {
        string path = files.WriteText("labels.csv", "0.5,1\n0.25,2147483647\n");

        Action read = () => CsvLoader.ReadClassification<double>(path);

        read.Should().Throw<DataFileException>()
            .Where(e => e.Line == 2 && e.Column == 2)
            .WithMessage($"{path}: line 2, column 2: the label 2147483647 is too large: the class count (largest label + 1) would not fit in an int.");
    }

    [Fact]
    public void A_label_at_or_above_the_given_class_count_names_its_line()
    {
        string path = files.WriteText("labels.csv", "0.5,1\n\n0.25,3\n");

        Action read = () => CsvLoader.ReadClassification<double>(path, classCount: 3);

        read.Should().Throw<DataFileException>()
            .Where(e => e.Line == 3 && e.Column == 2)
            .WithMessage($"{path}: line 3, column 2: the label 3 is outside the 3 classes [0, 2].");
    }

    [Fact]
    public void A_one_column_file_has_no_features_left_after_the_label_and_is_refused()
    {
        string path = files.WriteText("labels-only.csv", "0\n1\n2\n");

        Action read = () => CsvLoader.ReadClassification<double>(path);

        read.Should().Throw<DataFileException>().WithMessage($"{path}: line 1, column 1: *only the label*no features*");
    }

    [Fact]
    public void Line_numbers_count_blank_lines_and_lines_inside_quoted_fields()
    {
        // Lines: 1 header, 2 blank, 3 data, 4 blank, 5-6 one record with a quoted line break, 7 blank, 8 the bad cell.
        string path = files.WriteText("lines.csv", "a,b\n\n1,2\n\n\"3\n\",4\n\n5,x\n");

        Action read = () => CsvLoader.ReadMatrix<double>(path, CsvFormat.Comma with { HasHeader = true });

        read.Should().Throw<DataFileException>().Where(e => e.Line == 8 && e.Column == 2).WithMessage($"{path}: line 8, column 2: 'x' is not a finite number.");
    }

    [Fact]
    public void A_bad_cell_in_a_record_spanning_lines_is_reported_at_the_line_where_the_record_starts()
    {
        string path = files.WriteText("lines.csv", "1,2\n\n\"3\n3\",4\n");

        Action read = () => CsvLoader.ReadMatrix<double>(path);

        read.Should().Throw<DataFileException>().Where(e => e.Line == 3 && e.Column == 1).WithMessage($"{path}: line 3, column 1: '3\\n3' is not a finite number.");
    }

    [Fact]
    public void Label_errors_name_the_right_line_after_blank_lines()
    {
        string path = files.WriteText("lines.csv", "x,label\n\n1,0\n\n\n2,0.5\n");

        Action read = () => CsvLoader.ReadClassification<double>(path, format: CsvFormat.Comma with { HasHeader = true });

        read.Should().Throw<DataFileException>().Where(e => e.Line == 6 && e.Column == 2);
    }

    [Fact]
    public void A_truncated_gzipped_csv_is_an_error_not_a_smaller_data_set()
    {
        byte[] text = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, 20_000).Select(i => $"{i}\n")));
        byte[] gzip = TempFiles.Compress(text);
        string path = files.Write("column.csv.gz", gzip[..(gzip.Length / 2)]);

        Action read = () => CsvLoader.ReadMatrix<double>(path);

        read.Should().Throw<DataFileException>().Where(e => e.FilePath == path).WithMessage($"{path}: *gzip*");
    }

    [Fact]
    public void A_gzipped_csv_missing_its_trailer_is_an_error()
    {
        byte[] gzip = TempFiles.Compress(Encoding.ASCII.GetBytes("1,2\n3,4\n"));
        string path = files.Write("table.csv.gz", gzip[..^8]);

        Action read = () => CsvLoader.ReadMatrix<double>(path);

        read.Should().Throw<DataFileException>().WithMessage($"{path}: at byte 8: *gzip*");
    }

    [Fact]
    public void A_damaged_gzipped_csv_is_a_DataFileException_not_InvalidDataException()
    {
        byte[] text = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, 2_000).Select(i => $"{i},{i * 7 % 13}\n")));
        byte[] gzip = TempFiles.Compress(text);
        gzip[gzip.Length / 2] ^= 0x55;
        string path = files.Write("damaged.csv.gz", gzip);

        Action read = () => CsvLoader.ReadMatrix<double>(path);

        read.Should().Throw<DataFileException>().Where(e => e.FilePath == path);
    }

    [Fact]
    public void A_gzipped_csv_from_a_non_seekable_stream_is_decompressed()
    {
        byte[] gzip = TempFiles.Compress(Encoding.ASCII.GetBytes("1,2\n3,4\n"));
        using var pipe = new NonSeekableStream(gzip, chunk: 3);

        Matrix<double> table = CsvLoader.ReadMatrix<double>(pipe, "pipe.csv.gz", CsvFormat.Comma);

        table.ToColumnArrays().Should().BeEquivalentTo(new[] { new[] { 1.0, 2 }, new[] { 3.0, 4 } }, o => o.WithStrictOrdering());
    }

    [Fact]
    public void A_truncated_gzip_from_a_non_seekable_stream_is_rejected_with_the_given_name()
    {
        byte[] gzip = TempFiles.Compress(Encoding.ASCII.GetBytes("1,2\n3,4\n"));
        using var pipe = new NonSeekableStream(gzip[..^3], chunk: 5);

        Action read = () => CsvLoader.ReadMatrix<double>(pipe, "pipe.csv.gz", CsvFormat.Comma);

        read.Should().Throw<DataFileException>().Where(e => e.FilePath == "pipe.csv.gz");
    }

    [LinuxFact]
    public void A_gzipped_csv_is_read_from_a_fifo()
    {
        string fifo = files.Fifo("table.csv.gz");
        byte[] gzip = TempFiles.Compress(Encoding.ASCII.GetBytes("0.5,0\n0.25,1\n"));

        Dataset<double> data = TempFiles.ReadThroughFifo(fifo, gzip, path => CsvLoader.ReadClassification<double>(path));

        data.Labels.Should().Equal(0, 1);
        data.Features.Row(0).ToArray().Should().Equal(0.5, 0.25);
    }

    [LinuxFact]
    public void A_plain_csv_is_read_from_a_fifo()
    {
        string fifo = files.Fifo("table.csv");

        Matrix<float> table = TempFiles.ReadThroughFifo(fifo, Encoding.ASCII.GetBytes("1,2\n"), path => CsvLoader.ReadMatrix<float>(path));

        table.Column(0).ToArray().Should().Equal(1f, 2f);
    }
}
