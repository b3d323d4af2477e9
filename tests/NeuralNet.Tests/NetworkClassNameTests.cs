using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Data;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Tests.Data;
using NeuralNet.Training;

namespace NeuralNet.Tests;

public sealed class NetworkClassNameTests : IDisposable
{
    private static readonly Matrix<float> Features = Matrix<float>.Build.Dense(2, 4, [0, 0, 0, 1, 1, 0, 1, 1]);
    private readonly string directory = Directory.CreateTempSubdirectory("nnet-class-names-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void NewNetwork_HasNoClassNames_AndPredictLabelSaysHowToGetThem()
    {
        Network<float> network = Xor();

        network.ClassNames.Should().BeNull();
        network.Invoking(n => n.PredictLabel(Features)).Should().Throw<InvalidOperationException>().WithMessage("*no class names*Network.ClassNames*");
    }

    [Fact]
    public void PredictLabel_IsTheNameOfPredictClass()
    {
        Network<float> network = Xor();
        network.ClassNames = ["even", "odd"];

        string[] labels = network.PredictLabel(Features);

        labels.Should().Equal(network.PredictClass(Features).Select(k => network.ClassNames[k]));
        network.PredictLabel(Features.Column(2)).Should().Be(labels[2]);
    }

    [Fact]
    public void PredictLabel_OfOneSampleAsASpan_IsTheNameOfEachSamplesClass()
    {
        Network<float> network = Xor();
        network.ClassNames = ["even", "odd"];
        string[] labels = network.PredictLabel(Features);

        string[] single = [.. Enumerable.Range(0, Features.ColumnCount).Select(j => network.PredictLabel(Features.Column(j).ToArray().AsSpan()))];

        single.Should().Equal(labels);
        network.Invoking(n => n.PredictLabel([1f, 2f, 3f])).Should().Throw<ArgumentException>().WithMessage("*3*");
    }

    [Fact]
    public void ClassNames_AreSetOnce_TheSameNamesAgainDoNothing()
    {
        Network<float> network = Xor();
        network.ClassNames = ["even", "odd"];

        network.ClassNames = ["even", "odd"];
        network.Invoking(n => n.ClassNames = ["odd", "even"]).Should().Throw<InvalidOperationException>().WithMessage("*already set*");
        network.Invoking(n => n.ClassNames = null).Should().Throw<ArgumentNullException>();

        network.ClassNames.Should().Equal("even", "odd");
    }

    [Fact]
    public void ClassNames_MustMatchTheOutputs()
    {
        Network<float> network = Xor();

        network.Invoking(n => n.ClassNames = ["a", "b", "c"]).Should().Throw<ArgumentException>().WithMessage("*3 class names for 2 outputs*");
        network.Invoking(n => n.ClassNames = ["a", "a"]).Should().Throw<ArgumentException>().WithMessage("*appears twice*");
        new Network<float>(new Relu<float>()).Invoking(n => n.ClassNames = ["a"]).Should().Throw<InvalidOperationException>().WithMessage("*output size is unknown*");
        network.ClassNames.Should().BeNull();
    }

    [Fact]
    public void Convert_KeepsTheClassNames()
    {
        Network<float> network = Xor();
        network.ClassNames = ["even", "odd"];

        network.Convert<double>().ClassNames.Should().Equal("even", "odd");
    }

    [Fact]
    public void Fit_OnANamedDataset_GivesTheNetworkTheNames()
    {
        Network<float> network = Xor();
        Dataset<float> data = Dataset<float>.ForClassification(Features, [0, 1, 1, 0]).WithClassNames(["even", "odd"]);

        Trainer(network).Fit(data);

        network.ClassNames.Should().Equal("even", "odd");
    }

    [Fact]
    public void Fit_NamesThatDisagreeWithTheNetworks_AreRefusedBeforeTraining()
    {
        Network<float> network = Xor();
        network.ClassNames = ["even", "odd"];
        float[] weights = network.Parameters[0].Value.ToColumnMajorArray();
        Dataset<float> data = Dataset<float>.ForClassification(Features, [0, 1, 1, 0]).WithClassNames(["odd", "even"]);

        Action fit = () => Trainer(network).Fit(data);

        fit.Should().Throw<ArgumentException>().WithMessage("*class 0 is 'odd' in the training set but 'even' in the network's names*");
        network.Parameters[0].Value.ToColumnMajorArray().Should().Equal(weights);
    }

    [Fact]
    public void Fit_ValidationNamesThatDisagree_AreRefused()
    {
        Network<float> network = Xor();
        Dataset<float> training = Dataset<float>.ForClassification(Features, [0, 1, 1, 0]).WithClassNames(["even", "odd"]);
        Dataset<float> validation = Dataset<float>.ForClassification(Features, [0, 1, 1, 0]).WithClassNames(["even", "uneven"]);

        Action fit = () => Trainer(network).Fit(training, validation);

        fit.Should().Throw<ArgumentException>().WithMessage("*class 1 is 'uneven' in the validation set but 'odd'*");
        network.ClassNames.Should().BeNull();
    }

    [Fact]
    public void Fit_NamedDatasetWithFewerClassesThanOutputs_IsRefused()
    {
        var network = new Network<float>(new Linear<float>(2, 3, new Random(1)));
        Dataset<float> data = Dataset<float>.ForClassification(Features, [0, 1, 1, 0]).WithClassNames(["even", "odd"]);

        Action fit = () => Trainer(network).Fit(data);

        fit.Should().Throw<ArgumentException>().WithMessage("*names 2 classes*3 outputs*");
    }

    [Fact]
    public void IrisWithSpeciesNames_TrainSaveLoad_PredictLabelOfRawFeaturesIsSetosa()
    {
        // Issue 11: a CSV with species names, a stratified split, the normalization in the model, and names in the file.
        string csv = Path.Combine(directory, "iris-species.csv");
        File.WriteAllText(csv, IrisData.WithSpeciesNames());
        Dataset<float> iris = CsvLoader.ReadClassification<float>(csv, format: new CsvFormat { HasHeader = true });
        (Dataset<float> training, Dataset<float> test) = iris.Split(0.8, seed: 1, stratify: true);
        var random = new Random(7);
        var normalization = new Normalization<float>(4);
        normalization.Adapt(training);
        var network = new Network<float>(normalization, new Linear<float>(4, 16, random), new Relu<float>(), new Linear<float>(16, 3, random));
        new Trainer<float>(network, new CrossEntropyLoss<float>(), new Adam<float>(0.01), new TrainerOptions { Epochs = 60, BatchSize = 16, Seed = 1 }).Fit(training);
        string model = Path.Combine(directory, "iris.nnet");

        network.Save(model);
        Network<float> loaded = Network<float>.Load(model);

        loaded.ClassNames.Should().Equal("setosa", "versicolor", "virginica");
        loaded.PredictLabel(MathNet.Numerics.LinearAlgebra.Vector<float>.Build.Dense([5.1f, 3.5f, 1.4f, 0.2f])).Should().Be("setosa");
        NeuralNet.Metrics.Classification.Accuracy(test.ClassLabels, loaded.PredictClass(test.Features)).Should().BeGreaterThan(0.9);
    }

    private static Network<float> Xor()
    {
        var random = new Random(42);
        return new Network<float>(new Linear<float>(2, 8, random), new Relu<float>(), new Linear<float>(8, 2, random));
    }

    private static Trainer<float> Trainer(Network<float> network) =>
        new(network, new CrossEntropyLoss<float>(), new Sgd<float>(0.1, 0.9), new TrainerOptions { Epochs = 3, BatchSize = 4, Seed = 1 });
}
