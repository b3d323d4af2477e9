using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Data;

namespace NeuralNet.Tests.Data;

public sealed class CsvLoaderTests : IDisposable
{
    private readonly TempFiles files = new();

    public void Dispose() => files.Dispose();

    [Fact]
    public void ReadMatrix_EachLine_BecomesOneSampleColumnWithExactValues()
    {
        string path = files.WriteText("table.csv", "1,2.5,-3\n4e2,0.125,6\n");

        Matrix<double> table = CsvLoader.ReadMatrix<double>(path);

        table.RowCount.Should().Be(3);
        table.ColumnCount.Should().Be(2);
        table.Column(0).ToArray().Should().Equal(1, 2.5, -3);
        table.Column(1).ToArray().Should().Equal(400, 0.125, 6);
    }

    [Fact]
    public void ReadMatrix_SpaceSeparatedGzipWithHeader_ReadsLikeThePlainFile()
    {
        string plain = files.WriteText("plain.txt", "59 2 32.1\n48 1 21.6\n");
        string gzipped = files.WriteGzip("data.gz", System.Text.Encoding.UTF8.GetBytes("age sex bmi\n59 2 32.1\n48 1 21.6\n"));

        Matrix<float> expected = CsvLoader.ReadMatrix<float>(plain, CsvFormat.Space);
        Matrix<float> actual = CsvLoader.ReadMatrix<float>(gzipped, CsvFormat.Space with { HasHeader = true });

        actual.Should().Be(expected);
        actual[2, 1].Should().Be(21.6f);
    }

    [Fact]
    public void ReadMatrix_StreamOverload_ReadsGzipAndUsesTheNameInErrors()
    {
        using var stream = new MemoryStream(TempFiles.Compress(System.Text.Encoding.UTF8.GetBytes("1,2\n3,x\n")));

        Action read = () => CsvLoader.ReadMatrix<double>(stream, "resource.csv.gz", CsvFormat.Comma);

        read.Should().Throw<DataFileException>().WithMessage("resource.csv.gz: line 2, column 2: 'x' is not a finite number.");
    }

    [Fact]
    public void ReadMatrix_NonNumericCell_IsReportedByFileLineAndColumn()
    {
        string path = files.WriteText("bad.csv", "1,2,3\n4,5,6\n7,eight,9\n");

        Action read = () => CsvLoader.ReadMatrix<double>(path);

        read.Should().Throw<DataFileException>()
            .Where(e => e.FilePath == path && e.Line == 3 && e.Column == 2)
            .WithMessage($"{path}: line 3, column 2: 'eight' is not a finite number.");
    }

    [Fact]
    public void ReadMatrix_LineNumbers_CountTheHeader()
    {
        string path = files.WriteText("header.csv", "a,b\n1,2\n3,\n");

        Action read = () => CsvLoader.ReadMatrix<double>(path, CsvFormat.Comma with { HasHeader = true });

        read.Should().Throw<DataFileException>().WithMessage($"{path}: line 3, column 2: '' is not a finite number.");
    }

    [Fact]
    public void ReadMatrix_NonFiniteValues_AreRejected()
    {
        string path = files.WriteText("nan.csv", "1,NaN\n");

        Action read = () => CsvLoader.ReadMatrix<double>(path);

        read.Should().Throw<DataFileException>().WithMessage($"{path}: line 1, column 2: 'NaN' is not a finite number.");
    }

    [Fact]
    public void ReadMatrix_LineWithDifferentFieldCount_IsRejected()
    {
        string path = files.WriteText("ragged.csv", "1,2,3\n4,5\n");

        Action read = () => CsvLoader.ReadMatrix<double>(path);

        read.Should().Throw<DataFileException>().WithMessage($"{path}: line 2, column 3: this line has 2 fields but the first data line has 3.");
    }

    [Fact]
    public void ReadMatrix_EmptyFile_IsRejected()
    {
        string path = files.WriteText("empty.csv", string.Empty);

        Action read = () => CsvLoader.ReadMatrix<double>(path);

        read.Should().Throw<DataFileException>().WithMessage($"{path}: line 1, column 1: the file holds no data lines.");
    }

    [Fact]
    public void ReadClassification_SplitsOffTheLabelColumn()
    {
        string path = files.WriteText("iris.csv", "5.1,3.5,0\n6.2,2.9,1\n7.7,3.0,2\n");

        Dataset<double> data = CsvLoader.ReadClassification<double>(path);

        data.Labels.Should().Equal(0, 1, 2);
        data.ClassCount.Should().Be(3);
        data.FeatureCount.Should().Be(2);
        data.Features.Column(1).ToArray().Should().Equal(6.2, 2.9);
    }

    [Fact]
    public void ReadClassification_LabelColumnFirst_TakesItFromTheFront()
    {
        string path = files.WriteText("front.csv", "1,0.5,0.25\n0,1.5,1.25\n");

        Dataset<double> data = CsvLoader.ReadClassification<double>(path, labelColumn: 0, classCount: 4);

        data.Labels.Should().Equal(1, 0);
        data.ClassCount.Should().Be(4);
        data.Features.Column(0).ToArray().Should().Equal(0.5, 0.25);
    }

    [Fact]
    public void ReadClassification_LabelNotAClassIndex_IsRejected()
    {
        string path = files.WriteText("labels.csv", "x,y,label\n1,2,0\n3,4,1.5\n");

        Action read = () => CsvLoader.ReadClassification<double>(path, format: CsvFormat.Comma with { HasHeader = true });

        read.Should().Throw<DataFileException>().WithMessage($"{path}: line 3, column 3: the label '1.5' is not a class index*");
    }

    [Fact]
    public void ReadClassification_IrisStyleFileWithSummaryHeader_SplitsThreeWays()
    {
        // The layout of scikit-learn's iris.csv: a header line (count, features, class names), then features and class.
        var text = new System.Text.StringBuilder("10,2,a,b,c\n");
        for (int i = 0; i < 10; i++)
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"{i}.5,{i * 2},{i % 3}\n");
        }

        Dataset<double> data = CsvLoader.ReadClassification<double>(files.WriteText("iris.csv", text.ToString()), format: CsvFormat.Comma with { HasHeader = true });
        var (training, validation, test) = data.Split(0.6, 0.2, seed: 1);

        data.Count.Should().Be(10);
        data.Features.Column(3).ToArray().Should().Equal(3.5, 6);
        data.Labels![3].Should().Be(0);
        (training.Count, validation.Count, test.Count).Should().Be((6, 2, 2));
    }
}
