using Google.Protobuf;
using MathNet.Numerics.LinearAlgebra;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using NeuralNet.Data;
using NeuralNet.Diagnostics;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Onnx;
using NeuralNet.Optimizers;
using NeuralNet.Serialization;
using NeuralNet.Training;
using Onnx;

namespace NeuralNet.Tests.Layers;

/// <summary>
/// BatchNorm2d against PyTorch's definition written out in plain loops (<see cref="Reference"/>): per-channel statistics
/// over batch × height × width, the biased variance to normalize, the unbiased one in the running variance.
/// </summary>
public sealed class BatchNorm2dTests : ILayerCases
{
    /// <inheritdoc />
    public IEnumerable<LayerCase> Cases =>
    [
        new("BatchNorm2d(1) on (1, 3, 3)", () => RandomLayer(1, seed: 1), Shape.Of(1, 3, 3)),
        new("BatchNorm2d(3) on (3, 3, 5)", () => RandomLayer(3, seed: 2), Shape.Of(3, 3, 5)),
        new("BatchNorm2d(5) on (5, 1, 3)", () => RandomLayer(5, seed: 3), Shape.Of(5, 1, 3)),
    ];

    public static TheoryData<int, int, int, int> Geometries() => new()
    {
        // channels, height, width, batch
        { 1, 3, 3, 2 },
        { 3, 3, 5, 1 },
        { 3, 3, 5, 2 },
        { 5, 1, 3, 1 },
        { 5, 5, 1, 2 },
        { 3, 1, 1, 2 },
    };

    [Theory]
    [MemberData(nameof(Geometries))]
    public void ForwardAndBackward_InTraining_MatchTheReference(int channels, int height, int width, int batch)
    {
        BatchNorm2d<double> layer = RandomLayer(channels, seed: 10 + channels);
        var network = new Network<double>(Shape.Of(channels, height, width), layer);
        Matrix<double> x = Offset(RandomValues.NormalMatrix(channels * height * width, batch, new Random(11), 2), channels);
        Matrix<double> g = RandomValues.NormalMatrix(x.RowCount, batch, new Random(12));
        Reference expected = Reference.Of(layer, x, g);

        Matrix<double> y = network.Forward(x).Clone();
        Matrix<double> dx = network.Backward(g);

        Close(y, expected.Output, 1e-12);
        Close(dx, expected.InputGradient, 1e-12);
        Close(layer.Parameters[0].Gradient, expected.GammaGradient, 1e-12);
        Close(layer.Parameters[1].Gradient, expected.BetaGradient, 1e-12);
    }

    [Theory]
    [InlineData(3, 3, 5, 1)]
    [InlineData(1, 3, 3, 2)]
    [InlineData(5, 1, 3, 1)]
    public void GradientCheck_OfTheTrainingPath_PassesForBatchesOfOneAndTwo(int channels, int height, int width, int batch)
    {
        // The contract test checks batch 3; batch 1 with H·W ≥ 2 is the case BatchNorm1d cannot have.
        BatchNorm2d<double> layer = RandomLayer(channels, seed: 20);
        layer.Connect(Shape.Of(channels, height, width));
        Matrix<double> x = Offset(RandomValues.NormalMatrix(channels * height * width, batch, new Random(21), 3), channels);

        GradientCheckReport report = GradientCheck.Layer(layer, x, new GradientCheckOptions { Seed = 22 });

        report.Passed.Should().BeTrue(report.ToString());
        report.Tensors.Should().Equal("input", "weight", "bias");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void RunningStatistics_AfterSeveralSteps_FollowTheUnbiasedReferenceUpdate(int batch)
    {
        const int Channels = 3;
        var layer = new BatchNorm2d<double>(Channels, momentum: 0.3);
        layer.Connect(Shape.Of(Channels, 3, 5));
        double[] mean = new double[Channels];
        double[] variance = [1, 1, 1];
        for (int step = 0; step < 4; step++)
        {
            Matrix<double> x = Offset(RandomValues.NormalMatrix(Channels * 15, batch, new Random(30 + step), 1 + step), Channels);
            layer.Forward(x);
            (double[] batchMean, double[] biased) = Reference.Statistics(x, Channels);
            double n = batch * 15;
            for (int c = 0; c < Channels; c++)
            {
                mean[c] = (0.7 * mean[c]) + (0.3 * batchMean[c]);
                variance[c] = (0.7 * variance[c]) + (0.3 * biased[c] * n / (n - 1));
            }
        }

        layer.RunningMean.ToArray().Should().Equal(mean, (a, e) => Math.Abs(a - e) <= 1e-12 * Math.Max(1, Math.Abs(e)));
        layer.RunningVariance.ToArray().Should().Equal(variance, (a, e) => Math.Abs(a - e) <= 1e-12 * Math.Max(1, Math.Abs(e)));
    }

    [Fact]
    public void RunningVariance_UsesNOverNMinusOne_WithNTheValuesPerChannel()
    {
        // One channel, one 2 × 3 image: 1 … 6 → μ = 3.5, biased σ² = 35/12, unbiased 3.5 (n = 6, not the batch of 1).
        var layer = new BatchNorm2d<double>(1, momentum: 0.25);
        layer.Forward(Matrix<double>.Build.Dense(6, 1, [1, 2, 3, 4, 5, 6]));

        layer.RunningMean[0].Should().BeApproximately(0.25 * 3.5, 1e-15);
        layer.RunningVariance[0].Should().BeApproximately((0.75 * 1) + (0.25 * 3.5), 1e-15);
    }

    [Fact]
    public void Predict_UsesTheRunningStatisticsPerChannel_AndChangesNothing()
    {
        BatchNorm2d<double> layer = RandomLayer(3, seed: 40);
        var network = new Network<double>(Shape.Of(3, 3, 5), layer);
        network.Forward(Offset(RandomValues.NormalMatrix(45, 2, new Random(41), 2), 3));
        double[] runningMean = layer.RunningMean.ToArray();
        double[] runningVariance = layer.RunningVariance.ToArray();
        Matrix<double> x = RandomValues.NormalMatrix(45, 4, new Random(42), 2);

        Matrix<double> first = network.Predict(x);
        Matrix<double> second = network.Predict(x);

        double[] gamma = layer.Parameters[0].ValueSpan.ToArray();
        double[] beta = layer.Parameters[1].ValueSpan.ToArray();
        Matrix<double> expected = Matrix<double>.Build.Dense(45, 4, (i, j) =>
        {
            int c = i / 15;
            return (gamma[c] * (x[i, j] - runningMean[c]) / Math.Sqrt(runningVariance[c] + layer.Epsilon)) + beta[c];
        });
        Close(first, expected, 1e-12);
        second.Should().Be(first);
        layer.RunningMean.ToArray().Should().Equal(runningMean);
        layer.RunningVariance.ToArray().Should().Equal(runningVariance);
    }

    [Fact]
    public void Predict_FromManyThreadsAtOnce_GivesTheSameResult()
    {
        var network = new Network<float>(Shape.Of(3, 4, 5), Convert(RandomLayer(3, seed: 50)));
        Matrix<float> x = RandomValues.NormalMatrix(60, 7, new Random(51)).Map(v => (float)v);
        float[] expected = network.Predict(x).ToColumnMajorArray();

        float[][] results = new float[8][];
        Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, t =>
        {
            for (int repeat = 0; repeat < 50; repeat++)
            {
                results[t] = network.Predict(x).ToColumnMajorArray();
            }
        });

        results.Should().AllSatisfy(r => r.Should().Equal(expected));
    }

    [Fact]
    public void ForwardAndBackward_AfterTheFirstStep_AllocateNothing()
    {
        BatchNorm2d<float> layer = new(3);
        layer.Connect(Shape.Of(3, 4, 5));
        Matrix<float> x = RandomValues.NormalMatrix(60, 8, new Random(60)).Map(v => (float)v);
        Matrix<float> g = RandomValues.NormalMatrix(60, 8, new Random(61)).Map(v => (float)v);
        layer.Forward(x);
        layer.Backward(g);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int step = 0; step < 20; step++)
        {
            layer.Forward(x);
            layer.Backward(g);
        }

        (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0);
    }

    [Fact]
    public void MomentumAndEpsilon_SurviveConfigAndSaveLoad()
    {
        var network = new Network<float>(Shape.Of(2, 3, 3), new BatchNorm2d<float>(2, momentum: 0.3, epsilon: 1e-3));
        using var file = new MemoryStream();
        network.Save(file);
        file.Position = 0;

        LayerConfig config = network.Layers[0].GetConfig();
        BatchNorm2d<float> fromConfig = LayerRegistry.Create<float>(config).Should().BeOfType<BatchNorm2d<float>>().Which;
        BatchNorm2d<float> loaded = Network<float>.Load(file).Layers.Single().Should().BeOfType<BatchNorm2d<float>>().Which;

        config.Settings.Select(s => s.Key).Should().Equal("channels", "momentum", "epsilon");
        foreach (BatchNorm2d<float> layer in new[] { fromConfig, loaded })
        {
            layer.Channels.Should().Be(2);
            layer.Momentum.Should().Be(0.3);
            layer.Epsilon.Should().Be(1e-3);
        }
    }

    [Fact]
    public void OnnxExportThenImport_KeepsMomentumAndEpsilon()
    {
        string path = Path.Combine(Path.GetTempPath(), $"bn2d-{Guid.NewGuid():N}.onnx");
        try
        {
            new Network<float>(Shape.Of(2, 3, 3), new BatchNorm2d<float>(2, momentum: 0.3, epsilon: 1e-3)).ExportOnnx(path);

            BatchNorm2d<float> imported = Network<float>.ImportOnnx(path).Layers.Single().Should().BeOfType<BatchNorm2d<float>>().Which;

            imported.Channels.Should().Be(2);
            imported.Momentum.Should().Be(0.3);
            imported.Epsilon.Should().Be(1e-3);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void OnnxExportThenImport_OfAnImageNetwork_GivesBitIdenticalPredictions()
    {
        string path = Path.Combine(Path.GetTempPath(), $"bn2d-net-{Guid.NewGuid():N}.onnx");
        try
        {
            var random = new Random(70);
            var network = new Network<float>(
                Shape.Of(3, 4, 5), Convert(RandomLayer(3, seed: 71)), new Flatten<float>(), new Linear<float>(60, 2, random), new BatchNorm1d<float>(2));
            network.ExportOnnx(path);

            Network<float> imported = Network<float>.ImportOnnx(path);

            imported.Layers.Select(l => l.GetType().Name).Should().Equal("BatchNorm2d`1", "Flatten`1", "Linear`1", "BatchNorm1d`1");
            imported.InputShape.Should().Be(Shape.Of(3, 4, 5));
            Matrix<float> x = RandomValues.NormalMatrix(60, 5, new Random(72)).Map(v => (float)v);
            imported.Predict(x).ToColumnMajorArray().Should().Equal(network.Predict(x).ToColumnMajorArray());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void PyTorchStyleBatchNormalizationOnImages_ImportsAsBatchNorm2d_AndAgreesWithOnnxRuntime()
    {
        // What torch.onnx.export writes for BatchNorm2d(2, eps=1e-3) in eval mode on [N, 2, 3, 3] inputs.
        string path = Path.Combine(Path.GetTempPath(), $"bn2d-torch-{Guid.NewGuid():N}.onnx");
        try
        {
            File.WriteAllBytes(path, BatchNormalizationModel([2, 3, 3]).ToByteArray());

            Network<double> network = Network<double>.ImportOnnx(path);

            BatchNorm2d<double> norm = network.Layers.Single().Should().BeOfType<BatchNorm2d<double>>().Which;
            network.InputShape.Should().Be(Shape.Of(2, 3, 3));
            norm.Momentum.Should().Be(0.1);
            norm.Epsilon.Should().Be(1e-3);
            norm.RunningVariance.ToArray().Should().Equal(4, 0.5);
            Matrix<double> x = RandomValues.NormalMatrix(18, 4, new Random(100), 2);
            using var session = new InferenceSession(path);
            var tensor = new DenseTensor<float>(x.ToColumnMajorArray().Select(v => (float)v).ToArray(), [4, 2, 3, 3]);
            using IDisposableReadOnlyCollection<DisposableNamedOnnxValue> results = session.Run([NamedOnnxValue.CreateFromTensor("x", tensor)]);
            float[] expected = results.Single().AsTensor<float>().ToArray();
            network.Predict(x).ToColumnMajorArray().Should().Equal(expected.Select(v => (double)v), (a, e) => Math.Abs(a - e) <= 1e-5);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void OnnxImport_BatchNormalizationOnVectors_StillGivesBatchNorm1d()
    {
        string path = Path.Combine(Path.GetTempPath(), $"bn1d-torch-{Guid.NewGuid():N}.onnx");
        try
        {
            File.WriteAllBytes(path, BatchNormalizationModel([2]).ToByteArray());

            Network<double>.ImportOnnx(path).Layers.Single().Should().BeOfType<BatchNorm1d<double>>();
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void OnnxImport_BatchNormalizationOnSequences_IsRefusedNamingTheNodeAndShape()
    {
        // [N, C, L] is PyTorch's BatchNorm1d over sequences, which this library has no layer for.
        string path = Path.Combine(Path.GetTempPath(), $"bn-seq-{Guid.NewGuid():N}.onnx");
        try
        {
            File.WriteAllBytes(path, BatchNormalizationModel([2, 7]).ToByteArray());

            Action import = () => Network<double>.ImportOnnx(path);

            import.Should().Throw<ModelFormatException>().WithMessage("*node 0 (BatchNormalization 'bn')*samples of shape (2, 7)*");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Network_WithoutConvolution_Trains()
    {
        var random = new Random(80);
        var network = new Network<float>(Shape.Of(3, 4, 5), new BatchNorm2d<float>(3), new Flatten<float>(), new Linear<float>(60, 2, random));
        Matrix<float> x = RandomValues.NormalMatrix(60, 16, new Random(81), 2).Map(v => (float)v);
        int[] labels = [.. Enumerable.Range(0, 16).Select(j => x[7, j] + x[30, j] > 0 ? 1 : 0)];
        var trainer = new Trainer<float>(network, new CrossEntropyLoss<float>(), new Sgd<float>(0.1, momentum: 0.9),
            new TrainerOptions { Epochs = 8, BatchSize = 5, Seed = 1 }); // 16 = 3 × 5 + 1: a last batch of one image

        TrainingHistory history = trainer.Fit(Dataset<float>.ForClassification(x, labels));

        history.Should().HaveCount(8);
        history.Should().OnlyContain(e => double.IsFinite(e.TrainingLoss));
        history.Last.TrainingLoss.Should().BeLessThan(history[0].TrainingLoss);
        network.Layers[0].Traits.Should().Be(LayerTraits.None, "a batch of one image has 20 values per channel");
    }

    [Fact]
    public void Trainer_WithOneByOnePlanes_RefusesALastBatchOfOne()
    {
        var random = new Random(90);
        var network = new Network<double>(Shape.Of(4, 1, 1), new BatchNorm2d<double>(4), new Flatten<double>(), new Linear<double>(4, 2, random));
        Matrix<double> x = RandomValues.NormalMatrix(4, 9, new Random(91));
        var trainer = new Trainer<double>(network, new CrossEntropyLoss<double>(), new Sgd<double>(0.1),
            new TrainerOptions { Epochs = 1, BatchSize = 4, Seed = 1 });

        Action fit = () => trainer.Fit(Dataset<double>.ForClassification(x, [0, 1, 0, 1, 0, 1, 0, 1, 0]));

        network.Layers[0].Traits.Should().Be(LayerTraits.UsesBatchStatistics);
        fit.Should().Throw<ArgumentException>().WithMessage("*BatchNorm2d(4)*9 training samples in batches of 4*last batch of 1*");
    }

    [Fact]
    public void Forward_OneValuePerChannel_IsRejected()
    {
        var layer = new BatchNorm2d<float>(3);
        layer.Connect(Shape.Of(3, 1, 1));

        FluentActions.Invoking(() => layer.Forward(Matrix<float>.Build.Dense(3, 1)))
            .Should().Throw<ArgumentException>().WithMessage("BatchNorm2d(3)*at least 2 values per channel*3 × 1*");
    }

    [Theory]
    [InlineData(new[] { 60 }, "*BatchNorm2d(3)*(60)*(3, height, width)*BatchNorm1d*")]
    [InlineData(new[] { 4, 3, 5 }, "*BatchNorm2d(3)*(4, 3, 5)*(3, height, width)*")]
    [InlineData(new[] { 3, 20 }, "*BatchNorm2d(3)*(3, 20)*(3, height, width)*")]
    [InlineData(new[] { 1, 3, 4, 5 }, "*BatchNorm2d(3)*(1, 3, 4, 5)*(3, height, width)*")]
    public void Network_WithAShapeOtherThanChannelsHeightWidth_IsRefusedNamingTheLayerAndShapes(int[] dimensions, string message)
    {
        Action build = () => _ = new Network<float>(Shape.Of(dimensions), new BatchNorm2d<float>(3));

        build.Should().Throw<ArgumentException>().WithMessage(message);
    }

    [Fact]
    public void Connect_AgainWithTheSameShape_IsAccepted()
    {
        var layer = new BatchNorm2d<double>(3);
        layer.Connect(Shape.Of(3, 4, 5));

        layer.Connect(Shape.Of(3, 4, 5)).Should().Be(Shape.Of(3, 4, 5));
    }

    [Fact]
    public void Connect_AgainWithAnotherShape_IsRefused()
    {
        var layer = new BatchNorm2d<double>(3);
        layer.Connect(Shape.Of(3, 4, 5));

        FluentActions.Invoking(() => layer.Connect(Shape.Of(3, 5, 4)))
            .Should().Throw<ArgumentException>().WithMessage("BatchNorm2d(3): already connected to*(3, 4, 5)*(3, 5, 4)*");
    }

    [Fact]
    public void ForwardBackwardAndPredict_WrongShapes_AreRejectedNamingBothShapes()
    {
        var connected = new BatchNorm2d<double>(3);
        connected.Connect(Shape.Of(3, 2, 2));
        var free = new BatchNorm2d<double>(3);

        FluentActions.Invoking(() => connected.Forward(Matrix<double>.Build.Dense(15, 2))).Should().Throw<ArgumentException>().WithMessage("BatchNorm2d(3)*12*(3, 2, 2)*15 × 2*");
        FluentActions.Invoking(() => free.Forward(Matrix<double>.Build.Dense(10, 2))).Should().Throw<ArgumentException>().WithMessage("BatchNorm2d(3)*multiple of 3*10 × 2*");
        FluentActions.Invoking(() => connected.Predict(Matrix<double>.Build.Dense(12, 2), Matrix<double>.Build.Dense(12, 3))).Should().Throw<ArgumentException>().WithMessage("BatchNorm2d(3)*12 × 2*12 × 3*");
        connected.Forward(Matrix<double>.Build.Dense(12, 2, RandomValues.Uniform(24, 1)));
        FluentActions.Invoking(() => connected.Backward(Matrix<double>.Build.Dense(12, 3))).Should().Throw<ArgumentException>().WithMessage("BatchNorm2d(3)*12 × 2*12 × 3*");
    }

    [Theory]
    [InlineData(0.0, 1e-5, "momentum")]
    [InlineData(1.5, 1e-5, "momentum")]
    [InlineData(double.NaN, 1e-5, "momentum")]
    [InlineData(0.1, 0.0, "epsilon")]
    [InlineData(0.1, double.PositiveInfinity, "epsilon")]
    public void Constructor_BadSettings_AreRejected(double momentum, double epsilon, string name)
    {
        FluentActions.Invoking(() => new BatchNorm2d<double>(4, momentum, epsilon))
            .Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == name);
    }

    [Fact]
    public void NewLayer_PrintsItsSizeAndStartsAsTheIdentityNormalization()
    {
        var layer = new BatchNorm2d<float>(16);

        layer.ToString().Should().Be("BatchNorm2d(16, 32 parameters)");
        layer.GetConfig().Kind.Should().Be("batch_norm_2d");
        layer.Parameters.Select(p => p.Name).Should().Equal("weight", "bias");
        layer.Buffers.Select(b => b.Name).Should().Equal("running_mean", "running_var");
        layer.Buffers[1].Rule.Should().Be(LayerBufferRule.FiniteNonNegative);
        layer.Parameters[0].ValueSpan.ToArray().Should().OnlyContain(v => v == 1);
        layer.Parameters[1].ValueSpan.ToArray().Should().OnlyContain(v => v == 0);
        layer.RunningMean.ToArray().Should().OnlyContain(v => v == 0);
        layer.RunningVariance.ToArray().Should().OnlyContain(v => v == 1);
        layer.InputShape.Should().BeNull();
    }

    /// <summary>A layer with γ in [0.5, 1.5), β in [−0.5, 0.5), random running statistics, momentum 0.25, ε 1e-3.</summary>
    internal static BatchNorm2d<double> RandomLayer(int channels, int seed)
    {
        var random = new Random(seed);
        var layer = new BatchNorm2d<double>(channels, momentum: 0.25, epsilon: 1e-3);
        for (int c = 0; c < channels; c++)
        {
            layer.Parameters[0].ValueSpan[c] = 0.5 + random.NextDouble();
            layer.Parameters[1].ValueSpan[c] = random.NextDouble() - 0.5;
            layer.RunningMean[c] = (2 * random.NextDouble()) - 1;
            layer.RunningVariance[c] = 0.5 + (1.5 * random.NextDouble());
        }

        return layer;
    }

    /// <summary>A graph of one inference-mode BatchNormalization (2 channels, ε 1e-3, ONNX momentum 0.9) on <c>[batch, …sample]</c>.</summary>
    private static ModelProto BatchNormalizationModel(long[] sample)
    {
        var graph = new GraphProto { Name = "torch_jit" };
        graph.Initializer.Add(FloatTensor("bn.weight", [1.5f, 0.5f]));
        graph.Initializer.Add(FloatTensor("bn.bias", [0.1f, -0.2f]));
        graph.Initializer.Add(FloatTensor("bn.running_mean", [0.25f, -1f]));
        graph.Initializer.Add(FloatTensor("bn.running_var", [4f, 0.5f]));
        var node = new NodeProto { OpType = "BatchNormalization", Name = "bn" };
        node.Input.Add(["x", "bn.weight", "bn.bias", "bn.running_mean", "bn.running_var"]);
        node.Output.Add("y");
        node.Attribute.Add(new AttributeProto { Name = "epsilon", Type = AttributeProto.Types.AttributeType.Float, F = 1e-3f });
        node.Attribute.Add(new AttributeProto { Name = "momentum", Type = AttributeProto.Types.AttributeType.Float, F = 0.9f });
        graph.Node.Add(node);
        graph.Input.Add(Info("x", sample));
        graph.Output.Add(Info("y", sample));
        var model = new ModelProto { IrVersion = 7, Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Version = 13 });
        return model;

        static TensorProto FloatTensor(string name, float[] values)
        {
            var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
            tensor.Dims.Add(values.Length);
            tensor.FloatData.Add(values);
            return tensor;
        }

        static ValueInfoProto Info(string name, long[] sample)
        {
            var shape = new TensorShapeProto();
            shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "batch" });
            foreach (long d in sample)
            {
                shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = d });
            }

            return new ValueInfoProto
            {
                Name = name,
                Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
            };
        }
    }

    private static BatchNorm2d<float> Convert(BatchNorm2d<double> layer) =>
        (BatchNorm2d<float>)new Network<double>(layer).Convert<float>().Layers[0];

    /// <summary>Shifts channel c of every sample by 2c, so the channels' means differ.</summary>
    private static Matrix<double> Offset(Matrix<double> x, int channels) =>
        x.MapIndexed((i, _, v) => v + (2.0 * (i / (x.RowCount / channels))));

    private static void Close(Matrix<double> actual, Matrix<double> expected, double tolerance) =>
        actual.ToColumnMajorArray().Should().Equal(expected.ToColumnMajorArray(), (a, e) => Math.Abs(a - e) <= tolerance * Math.Max(1, Math.Abs(e)));

    /// <summary>
    /// PyTorch's batch norm in training, element by element in double: statistics over (batch, height, width) per
    /// channel, and the backward pass by the chain rule through μ and σ² as Ioffe and Szegedy write it (not the
    /// simplified form the layer uses).
    /// </summary>
    private sealed record Reference(Matrix<double> Output, Matrix<double> InputGradient, Matrix<double> GammaGradient, Matrix<double> BetaGradient)
    {
        public static (double[] Mean, double[] BiasedVariance) Statistics(Matrix<double> x, int channels)
        {
            int plane = x.RowCount / channels;
            double n = x.ColumnCount * plane;
            double[] mean = new double[channels];
            double[] variance = new double[channels];
            for (int c = 0; c < channels; c++)
            {
                for (int b = 0; b < x.ColumnCount; b++)
                {
                    for (int p = 0; p < plane; p++)
                    {
                        mean[c] += x[(c * plane) + p, b];
                    }
                }

                mean[c] /= n;
                for (int b = 0; b < x.ColumnCount; b++)
                {
                    for (int p = 0; p < plane; p++)
                    {
                        double d = x[(c * plane) + p, b] - mean[c];
                        variance[c] += d * d;
                    }
                }

                variance[c] /= n;
            }

            return (mean, variance);
        }

        public static Reference Of(BatchNorm2d<double> layer, Matrix<double> x, Matrix<double> g)
        {
            int channels = layer.Channels;
            int plane = x.RowCount / channels;
            double n = x.ColumnCount * plane;
            double[] gamma = layer.Parameters[0].ValueSpan.ToArray();
            double[] beta = layer.Parameters[1].ValueSpan.ToArray();
            (double[] mean, double[] variance) = Statistics(x, channels);
            var y = Matrix<double>.Build.Dense(x.RowCount, x.ColumnCount);
            var dx = Matrix<double>.Build.Dense(x.RowCount, x.ColumnCount);
            var dGamma = Matrix<double>.Build.Dense(channels, 1);
            var dBeta = Matrix<double>.Build.Dense(channels, 1);
            for (int c = 0; c < channels; c++)
            {
                double std = Math.Sqrt(variance[c] + layer.Epsilon);
                double dVariance = 0;
                double dMean = 0;
                double sumCentred = 0;
                for (int b = 0; b < x.ColumnCount; b++)
                {
                    for (int p = 0; p < plane; p++)
                    {
                        int i = (c * plane) + p;
                        double xHat = (x[i, b] - mean[c]) / std;
                        y[i, b] = (gamma[c] * xHat) + beta[c];
                        dGamma[c, 0] += g[i, b] * xHat;
                        dBeta[c, 0] += g[i, b];
                        double dXHat = g[i, b] * gamma[c];
                        dVariance += dXHat * (x[i, b] - mean[c]) * -0.5 * Math.Pow(variance[c] + layer.Epsilon, -1.5);
                        dMean += -dXHat / std;
                        sumCentred += -2 * (x[i, b] - mean[c]);
                    }
                }

                dMean += dVariance * sumCentred / n;
                for (int b = 0; b < x.ColumnCount; b++)
                {
                    for (int p = 0; p < plane; p++)
                    {
                        int i = (c * plane) + p;
                        dx[i, b] = (g[i, b] * gamma[c] / std) + (dVariance * 2 * (x[i, b] - mean[c]) / n) + (dMean / n);
                    }
                }
            }

            return new Reference(y, dx, dGamma, dBeta);
        }
    }
}
