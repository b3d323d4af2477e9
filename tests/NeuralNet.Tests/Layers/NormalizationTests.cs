using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Data;
using NeuralNet.Onnx;
using NeuralNet.Tests.Data;
using NeuralNet.Diagnostics;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Serialization;
using NeuralNet.Training;

namespace NeuralNet.Tests.Layers;

/// <summary>The normalization configurations the layer contract checks (statistics given, one feature with zero variance).</summary>
public sealed class NormalizationCases : ILayerCases
{
    /// <inheritdoc />
    public IEnumerable<LayerCase> Cases =>
    [
        new("Normalization(4)", () => new Normalization<double>([0.5, -1, 2, 0.25], [2, 0.5, 9, 1.5]), Shape.Vector(4)),
        new("Normalization(3, a constant feature)", () => new Normalization<double>([1, 3, -2], [0.25, 0, 4]), Shape.Vector(3)),
    ];
}

public sealed class NormalizationTests : IDisposable
{
    // Two features (rows) × four samples (columns): feature 0 has mean 2.5 and population variance 1.25; feature 1 is constant.
    private static readonly Matrix<double> Training = Matrix<double>.Build.DenseOfArray(new double[,] { { 1, 2, 3, 4 }, { 7, 7, 7, 7 } });

    private readonly string directory = Directory.CreateTempSubdirectory("nnet-normalization-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void Adapt_SetsTheMeanAndThePopulationVariance()
    {
        var layer = new Normalization<double>(2);

        layer.Adapt(Training);

        layer.Mean.ToArray().Should().Equal(2.5, 7);
        layer.Variance.ToArray().Should().Equal(1.25, 0); // ((−1.5)² + (−0.5)² + 0.5² + 1.5²) / 4
    }

    [Fact]
    public void Predict_AfterAdapt_IsTheStandardScalersTransform()
    {
        var layer = new Normalization<double>(2);
        layer.Adapt(Training);
        Matrix<double> x = Matrix<double>.Build.DenseOfArray(new double[,] { { 1, 2.5, 10 }, { 7, 8, -1 } });
        var output = Matrix<double>.Build.Dense(2, 3);

        layer.Predict(x, output);

        var scaler = new StandardScaler<double>();
        scaler.Fit(Training);
        Matrix<double> expected = scaler.Transform(x);
        output.ToColumnMajorArray().Should().Equal(expected.ToColumnMajorArray(), (a, e) => Math.Abs(a - e) <= 1e-15);
        output[0, 2].Should().BeApproximately(7.5 / Math.Sqrt(1.25), 1e-14);
    }

    [Fact]
    public void Predict_ConstantFeature_IsCentredButNotDivided()
    {
        var layer = new Normalization<double>(2);
        layer.Adapt(Training);
        var output = Matrix<double>.Build.Dense(2, 2);

        layer.Predict(Matrix<double>.Build.DenseOfArray(new double[,] { { 0, 0 }, { 7, 9.5 } }), output);

        output.Row(1).ToArray().Should().Equal(0, 2.5);
    }

    [Fact]
    public void Adapt_ConstantFeatureWhoseMeanDoesNotRoundTrip_GetsExactlyItsValueAndZeroVariance()
    {
        // 0.1 + 0.1 + 0.1 = 0.30000000000000004, and / 3 is not 0.1: a naive mean would leave a variance of ~1e-35.
        var layer = new Normalization<double>(1);

        layer.Adapt(Matrix<double>.Build.Dense(1, 3, 0.1));

        layer.Mean[0].Should().Be(0.1);
        layer.Variance[0].Should().Be(0);
    }

    [Fact]
    public void NewLayer_IsTheIdentityAndPrintsItsSize()
    {
        var layer = new Normalization<float>(3);
        Matrix<float> x = Matrix<float>.Build.Dense(3, 2, [1, -2, 3.5f, 0, 4, -6]);
        var output = Matrix<float>.Build.Dense(3, 2);

        layer.Predict(x, output);

        output.Should().Be(x);
        layer.ToString().Should().Be("Normalization(3, 6 statistics)");
        layer.Parameters.Should().BeEmpty();
        layer.Buffers.Select(b => b.Name).Should().Equal("mean", "variance");
        layer.GetConfig().ToString().Should().Be("normalization(features = 3)");
    }

    [Fact]
    public void Backward_IsTheGradientDividedByTheDeviation()
    {
        var layer = new Normalization<double>([1, 5], [4, 0]);
        layer.Forward(Matrix<double>.Build.Dense(2, 2, [3, 5, -1, 6]));

        Matrix<double> dx = layer.Backward(Matrix<double>.Build.Dense(2, 2, [1, 2, -3, 0.5]));

        dx.ToColumnMajorArray().Should().Equal(0.5, 2, -1.5, 0.5);
    }

    [Fact]
    public void GradientCheck_WithAdaptedStatistics_Passes()
    {
        var layer = new Normalization<double>(3);
        layer.Adapt(RandomValues.NormalMatrix(3, 10, new Random(1), scale: 4));

        GradientCheckReport report = GradientCheck.Layer(layer, RandomValues.NormalMatrix(3, 4, new Random(2)), new GradientCheckOptions { Seed = 3 });

        report.Passed.Should().BeTrue(report.ToString());
    }

    [Fact]
    public void Adapt_WrongFeatureCountNoSamplesOrNaN_IsRejectedAndChangesNothing()
    {
        var layer = new Normalization<double>(2);
        layer.Adapt(Training);

        FluentActions.Invoking(() => layer.Adapt(Matrix<double>.Build.Dense(3, 4))).Should().Throw<ArgumentException>().WithMessage("Normalization(2)*2 features*3 × 4*");
        FluentActions.Invoking(() => layer.Adapt(Matrix<double>.Build.Dense(2, 0))).Should().Throw<ArgumentException>().WithMessage("*zero samples*");
        FluentActions.Invoking(() => layer.Adapt(Matrix<double>.Build.Dense(2, 2, [1, 2, double.NaN, 4])))
            .Should().Throw<ArgumentException>().WithMessage("*feature 0 of sample 1 is NaN*");

        layer.Mean.ToArray().Should().Equal(2.5, 7);
        layer.Variance.ToArray().Should().Equal(1.25, 0);
    }

    [Theory]
    [InlineData(new double[] { 1, 2 }, new double[] { 1 }, "*2 means and 1 variances*")]
    [InlineData(new double[0], new double[0], "*0 means*")]
    [InlineData(new double[] { 1 }, new double[] { -1 }, "*variance*-1*≥ 0*")]
    [InlineData(new double[] { double.NaN }, new double[] { 1 }, "*mean*NaN*finite*")]
    [InlineData(new double[] { 1 }, new double[] { 1e39 }, "*variance*finite*")]
    public void Constructor_BadStatistics_AreRejected(double[] mean, double[] variance, string message)
    {
        FluentActions.Invoking(() => new Normalization<float>(mean, variance)).Should().Throw<ArgumentException>().WithMessage(message);
    }

    [Fact]
    public void AsTheFirstLayer_TrainingLeavesTheStatisticsAndSummaryCountsThem()
    {
        var random = new Random(4);
        var normalization = new Normalization<float>(2);
        Dataset<float> data = Dataset<float>.ForClassification(Training.Map(v => (float)v), [0, 1, 0, 1]);
        normalization.Adapt(data);
        var network = new Network<float>(normalization, new Linear<float>(2, 3, random), new Relu<float>(), new Linear<float>(3, 2, random));
        var trainer = new Trainer<float>(network, new CrossEntropyLoss<float>(), new Adam<float>(0.01), new TrainerOptions { Epochs = 5, BatchSize = 2, Seed = 1 });

        trainer.Fit(data);

        normalization.Mean.ToArray().Should().Equal(2.5f, 7f);
        normalization.Variance.ToArray().Should().Equal(1.25f, 0f);
        network.InputShape.Should().Be(Shape.Vector(2));
        network.Summary().Should().Contain("Normalization(2)").And.Contain("trainable parameters: 17; non-trainable values: 4;");
    }

    [Fact]
    public void SaveAndLoad_KeepTheAdaptedStatistics()
    {
        var layer = new Normalization<float>(2);
        layer.Adapt(Training.Map(v => (float)v));
        var network = new Network<float>(layer, new Linear<float>(2, 1, new Random(1)));
        string path = Path.Combine(directory, "normalized.nnet");

        network.Save(path);
        var loaded = (Normalization<float>)Network<float>.Load(path).Layers[0];

        loaded.Mean.ToArray().Should().Equal(2.5f, 7f);
        loaded.Variance.ToArray().Should().Equal(1.25f, 0f);
    }

    [Fact]
    public void Save_NegativeVariance_IsRefusedNamingTheBuffer()
    {
        var layer = new Normalization<float>(2);
        layer.Variance[1] = -1;
        var network = new Network<float>(layer);

        FluentActions.Invoking(() => network.Save(new MemoryStream())).Should().Throw<InvalidOperationException>().WithMessage("*Normalization(2)*'variance'*");
    }

    [Fact]
    public void OnnxExport_ImportsBackAsNormalization_PredictingTheSame()
    {
        var layer = new Normalization<float>([1, 3, -2], [0.25f, 0, 4]);
        var network = new Network<float>(layer, new Linear<float>(3, 2, new Random(2)));
        string path = Path.Combine(directory, "normalization.onnx");

        network.ExportOnnx(path);
        Network<float> imported = Network<float>.ImportOnnx(path);

        imported.Layers.Select(l => l.GetConfig().Kind).Should().Equal("normalization", "linear");
        var importedLayer = (Normalization<float>)imported.Layers[0];
        importedLayer.Mean.ToArray().Should().Equal(1, 3, -2);
        importedLayer.Variance.ToArray().Should().Equal(0.25f, 1, 4); // a zero variance is exported as its divisor 1
        Matrix<float> x = Matrix<float>.Build.Dense(3, 4, (i, j) => (float)Math.Cos(i + (3 * j)));
        imported.Predict(x).Should().Be(network.Predict(x));
    }

    [Fact]
    public void IrisRoundTrip_NormalizationInTheModel_LoadedNetworkClassifiesRawFeatures()
    {
        // The issue: standardize, train, save; a second run loads and predicts raw features. With the scaler outside the
        // model that setosa came out as virginica. With the normalization inside, the file carries the statistics.
        Dataset<float> iris = IrisData.Load();
        (Dataset<float> training, Dataset<float> test) = iris.Split(0.8, seed: 1);
        var random = new Random(7);
        var normalization = new Normalization<float>(4);
        normalization.Adapt(training);
        var network = new Network<float>(normalization, new Linear<float>(4, 16, random), new Relu<float>(), new Linear<float>(16, 3, random));
        new Trainer<float>(network, new CrossEntropyLoss<float>(), new Adam<float>(0.01), new TrainerOptions { Epochs = 60, BatchSize = 16, Seed = 1 }).Fit(training);
        string path = Path.Combine(directory, "iris.nnet");

        network.Save(path);
        Network<float> loaded = Network<float>.Load(path);

        loaded.PredictClass(MathNet.Numerics.LinearAlgebra.Vector<float>.Build.Dense([5.1f, 3.5f, 1.4f, 0.2f])).Should().Be(0, "a setosa");
        NeuralNet.Metrics.Classification.Accuracy(test.Labels!, loaded.PredictClass(test.Features)).Should().BeGreaterThan(0.9);
        loaded.Predict(test.Features).Should().Be(network.Predict(test.Features));
    }

    [Fact]
    public void LoadingAFileWithDamagedStatistics_IsAModelFormatError()
    {
        var layer = new Normalization<double>([0], [1]);
        byte[] bytes;
        using (var stream = new MemoryStream())
        {
            new Network<double>(layer).Save(stream);
            bytes = stream.ToArray();
        }

        // The variance is the file's last double before the checksum: make it −1 and fix the checksum.
        BitConverter.GetBytes(-1.0).CopyTo(bytes, bytes.Length - 12);
        uint crc = System.IO.Hashing.Crc32.HashToUInt32(bytes.AsSpan(0, bytes.Length - 4));
        BitConverter.GetBytes(crc).CopyTo(bytes, bytes.Length - 4);

        FluentActions.Invoking(() => Network<double>.Load(new MemoryStream(bytes))).Should().Throw<ModelFormatException>().WithMessage("*variance*");
    }
}
