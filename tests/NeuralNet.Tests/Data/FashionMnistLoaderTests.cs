using NeuralNet.Data;

namespace NeuralNet.Tests.Data;

public sealed class FashionMnistLoaderTests : IDisposable
{
    private readonly TempFiles files = new();

    public void Dispose() => files.Dispose();

    private void WriteSet(string prefix, int images, int labels)
    {
        byte[] pixels = new byte[images * 784];
        for (int i = 0; i < pixels.Length; i++)
        {
            pixels[i] = (byte)(i % 251);
        }

        files.WriteGzip($"{prefix}-images-idx3-ubyte.gz", IdxBytes.Build([images, 28, 28], pixels));
        files.Write($"{prefix}-labels-idx1-ubyte", IdxBytes.Build([labels], [.. Enumerable.Range(0, labels).Select(i => (byte)(i % 10))]));
    }

    [Fact]
    public void Load_GzippedAndRawFiles_ReadWithPixelsInUnitRange()
    {
        WriteSet("train", 3, 3);
        WriteSet("t10k", 2, 2);

        (Dataset<float> training, Dataset<float> test) = FashionMnist.Load<float>(files.Directory);

        training.Count.Should().Be(3);
        test.Count.Should().Be(2);
        training.FeatureCount.Should().Be(784);
        training.ClassCount.Should().Be(10);
        training.Labels.Should().Equal(0, 1, 2);
        training.Features[5, 1].Should().Be((784 + 5) % 251 / 255f);
        FashionMnist.Exists(files.Directory).Should().BeTrue();
    }

    [Fact]
    public void Load_ImageAndLabelCountsDisagree_AreRejected()
    {
        WriteSet("train", 3, 4);
        WriteSet("t10k", 2, 2);

        Action load = () => FashionMnist.Load<float>(files.Directory);

        load.Should().Throw<DataFileException>().WithMessage("*train-labels-idx1-ubyte: at byte 4: 4 labels for the 3 images of*train-images-idx3-ubyte.gz.");
    }

    [Fact]
    public void Load_LabelOutsideTheTenClasses_ThrowsDataFileExceptionNamingFileAndItem()
    {
        WriteSet("train", 3, 3);
        WriteSet("t10k", 2, 2);
        string labels = files.Write("t10k-labels-idx1-ubyte", IdxBytes.Build([2], [4, 10]));

        Action load = () => FashionMnist.Load<float>(files.Directory);

        load.Should().Throw<DataFileException>()
            .Where(e => e.FilePath == labels && e.BytePosition == 9)
            .WithMessage($"{labels}: at byte 9: label 10 of item 1 is not one of the 10 classes [0, 9].");
    }

    [Fact]
    public void Load_MissingFile_SaysHowToInstallTheData()
    {
        WriteSet("train", 1, 1);

        Action load = () => FashionMnist.Load<double>(files.Directory);

        FashionMnist.Exists(files.Directory).Should().BeFalse();
        load.Should().Throw<FileNotFoundException>().WithMessage("*t10k-images-idx3-ubyte(.gz) is not in*sudo apt-get install dataset-fashion-mnist*");
    }

    [Fact]
    public void ClassNames_AreTheTenPublishedOnes()
    {
        FashionMnist.ClassNames.Should().Equal("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");
    }

    [Fact]
    public void DataTests_SkipOnlyWhenTheDataIsAbsentOutsideCi()
    {
        FashionMnistFactAttribute.SkipReason(null, inCi: false).Should().Contain("apt-get install dataset-fashion-mnist");
        FashionMnistFactAttribute.SkipReason(null, inCi: true).Should().BeNull("in CI a missing data set must fail, not skip");
        FashionMnistFactAttribute.SkipReason("/data", inCi: false).Should().BeNull();
    }
}
