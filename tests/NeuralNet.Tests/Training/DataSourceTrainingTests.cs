using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Data;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Serialization;
using NeuralNet.Training;
using static NeuralNet.Tests.Training.ImageProblems;

namespace NeuralNet.Tests.Training;

/// <summary>Training from an <see cref="IDataSource{T}"/> other than an in-memory dataset: a <see cref="SampleFile{T}"/>.</summary>
public sealed class DataSourceTrainingTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("nnet-source-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private string Written(Dataset<float> data, SampleEncoding encoding, string name = "train.samples")
    {
        string path = Path.Combine(directory, name);
        SampleFile<float>.Write(path, data, ImageShape, encoding);
        return path;
    }

    public static TheoryData<SampleEncoding, bool> Cases() => new()
    {
        { SampleEncoding.Float32, false }, { SampleEncoding.Float32, true }, { SampleEncoding.UInt8, false }, { SampleEncoding.UInt8, true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Fit_SampleFile_GivesBitIdenticalWeightsToTheSameDataInMemory(SampleEncoding encoding, bool background)
    {
        Network<float> inMemory = Cnn();
        TrainingHistory expected = Trainer(inMemory, Options(background)).Fit(Images());

        using var file = new SampleFile<float>(Written(Images(), encoding));
        Network<float> streamed = Cnn();
        TrainingHistory actual = Trainer(streamed, Options(background)).Fit(file);

        Bits(streamed).Should().Equal(Bits(inMemory));
        actual.Select(e => (e.TrainingLoss, e.TrainingAccuracy)).Should().Equal(expected.Select(e => (e.TrainingLoss, e.TrainingAccuracy)));
    }

    [Fact]
    public void Fit_RegressionSampleFile_GivesBitIdenticalWeightsToTheSameDataInMemory()
    {
        var random = new Random(4);
        var x = Matrix<float>.Build.Dense(3, 30, (_, _) => (float)random.NextDouble());
        var y = Matrix<float>.Build.Dense(2, 30, (i, j) => x[i, j] - (2 * x[2, j]));
        var data = Dataset<float>.ForRegression(x, y);
        string path = Path.Combine(directory, "regression.samples");
        SampleFile<float>.Write(path, data);
        int[] Train(IDataSource<float> source)
        {
            var network = new Network<float>(new Linear<float>(3, 2, new Random(8)));
            new Trainer<float>(network, new MeanSquaredErrorLoss<float>(), new Adam<float>(0.01), new TrainerOptions { Epochs = 3, BatchSize = 7, Seed = 2 }).Fit(source);
            return Bits(network);
        }

        using var file = new SampleFile<float>(path);

        Train(file).Should().Equal(Train(data));
    }

    [Fact]
    public void Resume_FromASampleFile_GivesBitIdenticalWeightsToTheUninterruptedInMemoryRun()
    {
        TrainerOptions options = Options(background: true) with { Epochs = 4 };
        Network<float> uninterrupted = Cnn();
        Trainer(uninterrupted, options).Fit(Images());
        using var file = new SampleFile<float>(Written(Images(), SampleEncoding.UInt8));
        string checkpoint = Path.Combine(directory, "run.ckpt");
        Trainer(Cnn(), options with { Epochs = 2, CheckpointPath = checkpoint }).Fit(file);

        Network<float> resumed = Cnn(seed: 99);
        Trainer(resumed, options).Resume(Checkpoint<float>.Load(checkpoint), file);

        Bits(resumed).Should().Equal(Bits(uninterrupted));
    }

    [Fact]
    public void Fit_SampleFileWithAValidationSplit_ThrowsNamingTheOption()
    {
        using var file = new SampleFile<float>(Written(Images(), SampleEncoding.Float32));

        Action fit = () => Trainer(Mlp(), Options(background: true) with { ValidationSplit = 0.2 }).Fit(file);

        fit.Should().Throw<ArgumentException>().WithMessage("*ValidationSplit = 0.2*SampleFile*validation Dataset*");
    }

    [Fact]
    public void Fit_SampleFileOfOtherSamples_ThrowsNamingTheSizes()
    {
        string path = Path.Combine(directory, "wide.samples");
        SampleFile<float>.Write(path, Images(), Shape.Vector(36));
        using var file = new SampleFile<float>(path);
        var network = new Network<float>(new Linear<float>(20, 3, new Random(1)));

        Action fit = () => Trainer(network, Options(background: true, augmented: false)).Fit(file);

        fit.Should().Throw<ArgumentException>().WithParameterName("training").WithMessage("*36 features*expects 20*");
    }

    [Fact]
    public void Fit_SampleFileWithMoreClassesThanOutputs_ThrowsNamingBoth()
    {
        using var file = new SampleFile<float>(Written(Images(), SampleEncoding.Float32));
        var random = new Random(1);
        var network = new Network<float>(ImageShape, new Flatten<float>(), new Linear<float>(36, 2, random));

        Action fit = () => Trainer(network, Options(background: true)).Fit(file);

        fit.Should().Throw<ArgumentException>().WithMessage("*3 classes*2 outputs*");
    }
}
