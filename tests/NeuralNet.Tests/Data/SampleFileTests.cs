using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Data;

namespace NeuralNet.Tests.Data;

public sealed class SampleFileTests : IDisposable
{
    private readonly TempFiles files = new();

    public void Dispose() => files.Dispose();

    private string PathOf(string name) => Path.Combine(files.Directory, name);

    /// <summary>Pixel-like images: whole numbers 0 … 255, 2 channels of 3 × 4, 10 samples in 3 classes.</summary>
    internal static Dataset<float> Images(int count = 10, int seed = 1)
    {
        var random = new Random(seed);
        var features = Matrix<float>.Build.Dense(24, count, (_, _) => random.Next(256));
        return Dataset<float>.ForClassification(features, [.. Enumerable.Range(0, count).Select(j => (j * 7) % 3)], classCount: 3);
    }

    private static (float[] Features, int[] Labels, float[] Targets) ReadAll(IDataSource<float> source, int[] indices)
    {
        float[] features = new float[indices.Length * source.FeatureCount];
        int[] labels = new int[indices.Length];
        float[] targets = new float[indices.Length * source.TargetCount];
        source.ReadSamples(indices, features, labels, targets);
        return (features, labels, targets);
    }

    [Theory]
    [InlineData(SampleEncoding.Float32)]
    [InlineData(SampleEncoding.UInt8)]
    public void ReadSamples_WrittenClassificationSet_GivesTheSameSamplesAndLabelsAsTheDataset(SampleEncoding encoding)
    {
        Dataset<float> data = Images();
        SampleFile<float>.Write(PathOf("images.samples"), data, Shape.Of(2, 3, 4), encoding);
        using var file = new SampleFile<float>(PathOf("images.samples"));
        int[] indices = [9, 0, 4, 4, 7];

        var read = ReadAll(file, indices);

        var expected = ReadAll(data, indices);
        read.Features.Should().Equal(expected.Features);
        read.Labels.Should().Equal(expected.Labels);
        file.Count.Should().Be(10);
        file.SampleShape.Should().Be(Shape.Of(2, 3, 4));
        file.ClassCount.Should().Be(3);
        file.Encoding.Should().Be(encoding);
        new FileInfo(PathOf("images.samples")).Length.Should().Be(
            8 + 2 + 1 + 1 + (3 * 4) + 8 + 4 + 4 + (10 * 4) + (10 * 24 * (encoding == SampleEncoding.UInt8 ? 1 : 4)), "the layout of docs/sample-file-format.md");
    }

    [Fact]
    public void ReadSamples_RegressionSetInDouble_GivesTheFeaturesAndTargetsRoundedToFloat32()
    {
        var random = new Random(2);
        var features = Matrix<double>.Build.Dense(3, 6, (_, _) => random.NextDouble() - 0.5);
        var targets = Matrix<double>.Build.Dense(2, 6, (_, _) => random.NextDouble() * 10);
        SampleFile<double>.Write(PathOf("line.samples"), Dataset<double>.ForRegression(features, targets));
        using var file = new SampleFile<double>(PathOf("line.samples"));
        double[] readFeatures = new double[6];
        double[] readTargets = new double[4];

        file.ReadSamples([5, 1], readFeatures, [], readTargets);

        readFeatures.Should().Equal(new[] { features[0, 5], features[1, 5], features[2, 5], features[0, 1], features[1, 1], features[2, 1] }.Select(v => (double)(float)v));
        readTargets.Should().Equal(new[] { targets[0, 5], targets[1, 5], targets[0, 1], targets[1, 1] }.Select(v => (double)(float)v));
        file.SampleShape.Should().Be(Shape.Vector(3));
        file.TargetCount.Should().Be(2);
        file.ClassCount.Should().Be(0);
    }

    [Fact]
    public void Write_UInt8WithAFraction_ThrowsNamingTheSampleAndFeature()
    {
        Dataset<float> data = Images();
        data.Features[5, 3] = 12.5f;

        Action write = () => SampleFile<float>.Write(PathOf("bad.samples"), data, null, SampleEncoding.UInt8);

        write.Should().Throw<ArgumentException>().WithMessage("*feature 5 of sample 3 is 12.5*");
    }

    [Fact]
    public void Write_ShapeOfAnotherSize_ThrowsNamingBoth()
    {
        Action write = () => SampleFile<float>.Write(PathOf("bad.samples"), Images(), Shape.Of(1, 28, 28));

        write.Should().Throw<ArgumentException>().WithParameterName("sampleShape").WithMessage("*(1, 28, 28)*784*24*");
    }

    [Fact]
    public void Open_TruncatedFile_ThrowsInvalidDataExceptionNamingTheFileAndLengths()
    {
        string path = PathOf("cut.samples");
        SampleFile<float>.Write(path, Images());
        byte[] bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^3]);

        Action open = () => _ = new SampleFile<float>(path);

        open.Should().Throw<InvalidDataException>().WithMessage($"*{path}*{bytes.Length - 3} bytes long*{bytes.Length} bytes*");
    }

    [Fact]
    public void Open_NotASampleFile_ThrowsInvalidDataException()
    {
        string path = files.WriteText("text.samples", "hello, this is not a sample file at all");

        Action open = () => _ = new SampleFile<float>(path);

        open.Should().Throw<InvalidDataException>().WithMessage("*text.samples*NNSAMPLE*");
    }

    [Fact]
    public void Open_LabelOutsideTheClasses_ThrowsNamingTheSample()
    {
        string path = PathOf("labels.samples");
        SampleFile<float>.Write(path, Images());
        byte[] bytes = File.ReadAllBytes(path);
        int labelsStart = 8 + 2 + 1 + 1 + 4 + 8 + 4 + 4; // rank 1: the shape (24)
        bytes[labelsStart + (4 * 6)] = 3; // sample 6 gets label 3 of 3 classes
        File.WriteAllBytes(path, bytes);

        Action open = () => _ = new SampleFile<float>(path);

        open.Should().Throw<InvalidDataException>().WithMessage("*label of sample 6 is 3*3 classes*");
    }

    [Fact]
    public void ReadSamples_NaNWrittenIntoARecord_ThrowsInvalidDataExceptionNamingTheSample()
    {
        string path = PathOf("nan.samples");
        SampleFile<float>.Write(path, Images());
        byte[] bytes = File.ReadAllBytes(path);
        int recordsStart = 8 + 2 + 1 + 1 + 4 + 8 + 4 + 4 + (10 * 4); // rank 1, then 10 labels
        BitConverter.GetBytes(float.NaN).CopyTo(bytes, recordsStart + (2 * 24 * 4) + (4 * 5));
        File.WriteAllBytes(path, bytes);
        using var file = new SampleFile<float>(path);

        Action read = () => ReadAll(file, [1, 2]);

        read.Should().Throw<InvalidDataException>().WithMessage("*feature 5 of sample 2 is NaN*");
    }

    [Fact]
    public void ReadSamples_IndexOutOfRange_ThrowsNamingTheIndex()
    {
        SampleFile<float>.Write(PathOf("images.samples"), Images());
        using var file = new SampleFile<float>(PathOf("images.samples"));

        Action read = () => ReadAll(file, [0, 10]);

        read.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*index 10 is outside [0, 10)*");
    }
}
