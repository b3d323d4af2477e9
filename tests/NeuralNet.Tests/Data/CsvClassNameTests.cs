using NeuralNet.Data;

namespace NeuralNet.Tests.Data;

public sealed class CsvClassNameTests : IDisposable
{
    private readonly TempFiles files = new();

    public void Dispose() => files.Dispose();

    [Fact]
    public void ReadClassification_TextLabels_AreClassNamesInOrdinalOrder()
    {
        // Before: "the label 'virginica' is not a class index".
        string path = files.WriteText("species.csv", "6.3,3.3,virginica\n5.1,3.5,setosa\n7.0,3.2,versicolor\n4.9,3.0,setosa\n");

        Dataset<float> data = CsvLoader.ReadClassification<float>(path);

        data.ClassNames.Should().Equal("setosa", "versicolor", "virginica");
        data.Labels.Should().Equal(2, 0, 1, 0);
        data.ClassCount.Should().Be(3);
        data.Features.Column(0).ToArray().Should().Equal(6.3f, 3.3f);
    }

    [Fact]
    public void ReadClassification_SameRowsInAnotherOrder_GiveTheSameIndices()
    {
        Dataset<double> forward = CsvLoader.ReadClassification<double>(files.WriteText("a.csv", "1,b\n2,a\n3,c\n"));
        Dataset<double> backward = CsvLoader.ReadClassification<double>(files.WriteText("b.csv", "3,c\n2,a\n1,b\n"));

        forward.ClassNames.Should().Equal(backward.ClassNames);
        forward.Labels.Should().Equal(1, 0, 2);
        backward.Labels.Should().Equal(2, 0, 1);
    }

    [Fact]
    public void ReadClassification_OrdinalOrder_IsCaseSensitiveAndTrimsSpaces()
    {
        Dataset<double> data = CsvLoader.ReadClassification<double>(files.WriteText("case.csv", "1, b\n2,B \n3,\tb\n4,a\n"));

        data.ClassNames.Should().Equal("B", "a", "b");
        data.Labels.Should().Equal(2, 0, 2, 1);
    }

    [Fact]
    public void ReadClassification_NumbersAfterAFirstName_AreNamesToo()
    {
        Dataset<double> data = CsvLoader.ReadClassification<double>(files.WriteText("mixed.csv", "1,unknown\n2,3\n3,10\n"));

        data.ClassNames.Should().Equal("10", "3", "unknown");
        data.Labels.Should().Equal(2, 1, 0);
    }

    [Fact]
    public void ReadClassification_IndexLabels_HaveNoClassNames()
    {
        Dataset<double> data = CsvLoader.ReadClassification<double>(files.WriteText("indices.csv", "1,0\n2,2\n"));

        data.ClassNames.Should().BeNull();
        data.Labels.Should().Equal(0, 2);
    }

    [Fact]
    public void ReadClassification_IrisWithSpeciesNamesAndAHeader_ReadsThreeNamedClasses()
    {
        string path = files.WriteText("iris-species.csv", IrisData.WithSpeciesNames());

        Dataset<float> data = CsvLoader.ReadClassification<float>(path, format: new CsvFormat { HasHeader = true });

        data.ClassNames.Should().Equal(IrisData.Species);
        data.Labels.Should().Equal(IrisData.Load().Labels);
        data.Features.Should().Be(IrisData.Load().Features);
    }

    [Theory]
    [InlineData("1,a\n2,\n", 2, "*the label '' is not a class name*")]
    [InlineData("1,a\n2,  \n", 2, "*the label '  ' is not a class name*")]
    public void ReadClassification_EmptyName_IsRejectedNamingTheCell(string text, int line, string message)
    {
        string path = files.WriteText("empty.csv", text);

        Action read = () => CsvLoader.ReadClassification<double>(path);

        read.Should().Throw<DataFileException>().Where(e => e.Line == line && e.Column == 2).WithMessage(message);
    }

    [Fact]
    public void ReadClassification_NameLongerThan1024Bytes_IsRejected()
    {
        string path = files.WriteText("long.csv", $"1,a\n2,{new string('é', 513)}\n"); // 1,026 UTF-8 bytes

        Action read = () => CsvLoader.ReadClassification<double>(path);

        read.Should().Throw<DataFileException>().Where(e => e.Line == 2).WithMessage("*1 to 1024 UTF-8 bytes*");
        CsvLoader.ReadClassification<double>(files.WriteText("ok.csv", $"1,a\n2,{new string('é', 512)}\n")).ClassNames![1].Should().HaveLength(512);
    }

    [Fact]
    public void ReadClassification_ClassCountOtherThanTheNames_IsRejected()
    {
        string path = files.WriteText("count.csv", "1,a\n2,b\n");

        Action read = () => CsvLoader.ReadClassification<double>(path, classCount: 3);

        read.Should().Throw<DataFileException>().WithMessage("*2 class names*class count given is 3*");
        CsvLoader.ReadClassification<double>(path, classCount: 2).ClassNames.Should().Equal("a", "b");
    }

    [Fact]
    public void ReadClassification_InvalidUtf8Name_IsRejectedNamingTheCell()
    {
        string path = files.Write("bad.csv", [(byte)'1', (byte)',', (byte)'a', (byte)'\n', (byte)'2', (byte)',', 0xC3, 0x28, (byte)'\n']);

        Action read = () => CsvLoader.ReadClassification<double>(path);

        read.Should().Throw<DataFileException>();
    }
}
