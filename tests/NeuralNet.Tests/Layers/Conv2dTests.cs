using Google.Protobuf;
using MathNet.Numerics.LinearAlgebra;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using NeuralNet.Data;
using NeuralNet.Initializers;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Onnx;
using NeuralNet.Optimizers;
using NeuralNet.Serialization;
using NeuralNet.Training;
using Onnx;

namespace NeuralNet.Tests.Layers;

/// <summary>
/// <see cref="Conv2d{T}"/> against a direct nested-loop convolution written from PyTorch's definition (in double):
/// forward values, input gradient and weight/bias gradients, on a table of kernels, strides, paddings, dilations and
/// groups; shape errors; allocation-free training steps; concurrent Predict; a small CNN that trains.
/// </summary>
public sealed class Conv2dTests : ILayerCases
{
    /// <summary>The configurations: every one is also saved, run in ONNX Runtime and gradient-checked by the contract.</summary>
    public static readonly ConvSpec[] Specs =
    [
        new("1×1 pointwise", 3, 5, (1, 1), (1, 1), 0, (1, 1), 1, true, 5, 4),
        new("1×1 stride 2", 3, 2, (1, 1), (2, 2), 0, (1, 1), 1, true, 5, 5),
        new("3×3 padding 1", 3, 4, (3, 3), (1, 1), 1, (1, 1), 1, true, 7, 6),
        new("2×3 stride 2 padding (1, 0)", 2, 3, (2, 3), (2, 2), (1, 0), (1, 1), 1, true, 9, 8),
        new("3×3 stride 2, trailing row and column unused", 1, 2, (3, 3), (2, 2), 0, (1, 1), 1, true, 8, 8),
        new("3×3 same", 3, 2, (3, 3), (1, 1), Conv2dPadding.Same, (1, 1), 1, true, 5, 5),
        new("4×2 same (even kernel)", 2, 3, (4, 2), (1, 1), Conv2dPadding.Same, (1, 1), 1, true, 6, 5),
        new("2×2 same dilation 2", 2, 2, (2, 2), (1, 1), Conv2dPadding.Same, (2, 2), 1, true, 5, 4),
        new("3×3 dilation 2 padding 1", 2, 3, (3, 3), (1, 1), 1, (2, 2), 1, true, 9, 7),
        new("3×2 dilation (2, 1) stride (1, 2)", 2, 2, (3, 2), (1, 2), (2, 1), (2, 1), 1, true, 7, 7),
        new("3×3 groups 2", 4, 6, (3, 3), (1, 1), 1, (1, 1), 2, true, 5, 6),
        new("3×3 depthwise", 3, 3, (3, 3), (1, 1), 1, (1, 1), 3, true, 6, 5),
        new("3×3 depthwise multiplier 2, stride 2", 3, 6, (3, 3), (2, 2), 1, (1, 1), 3, true, 7, 5),
        new("3×3 stride 2 odd image, 5 → 7, no bias", 5, 7, (3, 3), (2, 2), 0, (1, 1), 1, false, 7, 7),
        new("5×5 on a 1-row-tall padded image", 1, 2, (5, 5), (1, 1), 2, (1, 1), 1, true, 1, 6),
    ];

    /// <inheritdoc />
    public IEnumerable<LayerCase> Cases => Specs.Select(s => new LayerCase($"Conv2d {s.Description}", () => s.CreateConnected(), s.InputShape));

    public static TheoryData<ConvSpec> AllSpecs() => [.. Specs];

    [Theory]
    [MemberData(nameof(AllSpecs))]
    public void ForwardAndBackward_InDouble_MatchTheReference(ConvSpec spec)
    {
        Conv2d<double> layer = spec.CreateConnected();
        var random = new Random(11);
        Matrix<double> x = RandomValues.NormalMatrix(spec.InputShape.Size, 2, random);
        Matrix<double> g = RandomValues.NormalMatrix(spec.OutputShape.Size, 2, random);
        Reference reference = Reference.Compute(spec, layer.Weights.ToColumnMajorArray(), layer.Bias?.ToColumnMajorArray(), x, g);

        Matrix<double> y = layer.Forward(x);
        Matrix<double> dx = layer.Backward(g);

        AssertClose(y.ToColumnMajorArray(), reference.Output, 1e-12);
        AssertClose(dx.ToColumnMajorArray(), reference.InputGradient, 1e-12);
        AssertClose(layer.Parameters[0].Gradient.ToColumnMajorArray(), reference.WeightGradient, 1e-12);
        if (spec.Bias)
        {
            AssertClose(layer.Parameters[1].Gradient.ToColumnMajorArray(), reference.BiasGradient, 1e-12);
        }

        Matrix<double> predicted = Matrix<double>.Build.Dense(y.RowCount, y.ColumnCount);
        layer.Predict(x, predicted);
        predicted.Should().Be(y);
    }

    [Theory]
    [MemberData(nameof(AllSpecs))]
    public void ForwardAndBackward_InChunksOfTwoSamples_MatchTheReference(ConvSpec spec)
    {
        Conv2d<double> layer = spec.CreateConnected();
        var random = new Random(13);
        Matrix<double> x = RandomValues.NormalMatrix(spec.InputShape.Size, 5, random);
        Matrix<double> g = RandomValues.NormalMatrix(spec.OutputShape.Size, 5, random);
        Reference reference = Reference.Compute(spec, layer.Weights.ToColumnMajorArray(), layer.Bias?.ToColumnMajorArray(), x, g);
        Conv2d<double>.ForcedSamplesPerChunk = 2;
        try
        {
            layer.SamplesPerChunk(5).Should().Be(2);
            AssertClose(layer.Forward(x).ToColumnMajorArray(), reference.Output, 1e-12);
            AssertClose(layer.Backward(g).ToColumnMajorArray(), reference.InputGradient, 1e-12);
            AssertClose(layer.Parameters[0].Gradient.ToColumnMajorArray(), reference.WeightGradient, 1e-12);
            Matrix<double> predicted = Matrix<double>.Build.Dense(spec.OutputShape.Size, 5);
            layer.Predict(x, predicted);
            AssertClose(predicted.ToColumnMajorArray(), reference.Output, 1e-12);
        }
        finally
        {
            Conv2d<double>.ForcedSamplesPerChunk = null;
        }
    }

    [Theory]
    [MemberData(nameof(AllSpecs))]
    public void ForwardAndBackward_InFloat_MatchTheDoubleReferenceWithinFloatTolerance(ConvSpec spec)
    {
        Conv2d<double> exact = spec.CreateConnected();
        var layer = new Conv2d<float>(
            spec.InChannels, spec.OutChannels, spec.Kernel, spec.Stride, spec.Padding, spec.Dilation, spec.Groups,
            [.. exact.Weights.ToColumnMajorArray().Select(v => (float)v)], spec.Bias ? [.. exact.Bias!.ToColumnMajorArray().Select(v => (float)v)] : null);
        layer.Connect(spec.InputShape);
        var random = new Random(12);
        Matrix<double> x = RandomValues.NormalMatrix(spec.InputShape.Size, 3, random).Map(v => (double)(float)v);
        Matrix<double> g = RandomValues.NormalMatrix(spec.OutputShape.Size, 3, random).Map(v => (double)(float)v);
        Reference reference = Reference.Compute(
            spec, [.. layer.Weights.ToColumnMajorArray().Select(v => (double)v)], layer.Bias?.ToColumnMajorArray().Select(v => (double)v).ToArray(), x, g);

        float[] y = layer.Forward(x.Map(v => (float)v)).ToColumnMajorArray();
        float[] dx = layer.Backward(g.Map(v => (float)v)).ToColumnMajorArray();

        AssertClose([.. y.Select(v => (double)v)], reference.Output, 1e-5);
        AssertClose([.. dx.Select(v => (double)v)], reference.InputGradient, 1e-5);
        AssertClose([.. layer.Parameters[0].Gradient.ToColumnMajorArray().Select(v => (double)v)], reference.WeightGradient, 1e-5);
    }

    [Fact]
    public void Weight_IsStoredInPyTorchOrder_OutInKhKw()
    {
        // One output channel per input channel pair, 2 × 3 kernel: value = 1000·o + 100·c + 10·i + j.
        double[] weight = [.. from o in Enumerable.Range(0, 2) from c in Enumerable.Range(0, 3) from i in Enumerable.Range(0, 2) from j in Enumerable.Range(0, 3) select (1000.0 * o) + (100 * c) + (10 * i) + j];
        var layer = new Conv2d<double>(3, 2, (2, 3), 1, 0, 1, 1, weight, [0.5, -0.5]);
        var network = new Network<double>(Shape.Of(3, 2, 3), layer);

        // One window covers the whole image, so y[o] = b[o] + Σ w[o, c, i, j] x[c, i, j].
        Matrix<double> x = Matrix<double>.Build.Dense(18, 1, (r, _) => r == 7 ? 1 : 0); // x[c = 1, i = 0, j = 1]
        network.Predict(x).Column(0).ToArray().Should().Equal(101.5, 1100.5);
        layer.Parameters[0].ValueSpan.ToArray().Should().Equal(weight);
        layer.Weights.RowCount.Should().Be(18);
    }

    [Fact]
    public void Initializer_UsesPyTorchsFans()
    {
        var fans = new FanRecorder();

        _ = new Conv2d<float>(6, 8, (3, 5), new Random(1), fans, groups: 2);

        fans.FanIn.Should().Be(3 * 3 * 5, "fan-in is in/groups·kh·kw");
        fans.FanOut.Should().Be(8 * 3 * 5, "PyTorch's fan-out is out·kh·kw (not divided by groups)");
    }

    [Fact]
    public void Network_OfAConvolution_ReportsShapesAndParameters()
    {
        var network = new Network<float>(
            Shape.Of(1, 28, 28),
            new Conv2d<float>(1, 8, 3, new Random(1), Initializer.HeNormal, padding: 1),
            new Relu<float>(),
            new Conv2d<float>(8, 16, 3, new Random(2), Initializer.HeNormal, stride: 2),
            new Flatten<float>(),
            new Linear<float>(16 * 13 * 13, 10, new Random(3)));

        network.GetLayerOutputShape(0).Should().Be(Shape.Of(8, 28, 28));
        network.GetLayerOutputShape(2).Should().Be(Shape.Of(16, 13, 13));
        network.Layers[2].ToString().Should().Be("Conv2d(8 → 16, 3×3, stride (2, 2), 1,168 parameters)");
    }

    [Fact]
    public void Network_KernelLargerThanThePaddedImage_IsRefusedNamingTheLayerAndShapes()
    {
        Action build = () => _ = new Network<float>(Shape.Of(1, 4, 4), new Conv2d<float>(1, 2, 5, new Random(1), dilation: 1, padding: 0));

        build.Should().Throw<ArgumentException>()
            .WithMessage("*Conv2d(1 → 2, 5×5)*(1, 4, 4)*padded to 4×4*kernel 5×5*(2, 0, 0)*");
    }

    [Fact]
    public void Network_DilatedKernelLargerThanThePaddedImage_IsRefused()
    {
        Action build = () => _ = new Network<float>(Shape.Of(2, 6, 9), new Conv2d<float>(2, 2, 3, new Random(1), padding: 1, dilation: 4));

        build.Should().Throw<ArgumentException>().WithMessage("*Conv2d(2 → 2, 3×3, padding (1, 1), dilation (4, 4))*(2, 6, 9)*padded to 8×11*kernel 9×9*(2, 0, 3)*");
    }

    [Fact]
    public void Network_ChannelMismatch_IsRefusedNamingTheLayerAndShapes()
    {
        Action build = () => _ = new Network<float>(Shape.Of(1, 8, 8), new Conv2d<float>(3, 4, 3, new Random(1)));

        build.Should().Throw<ArgumentException>().WithMessage("*Conv2d(3 → 4, 3×3)*(3, height, width)*(1, 8, 8)*1 channels instead of 3*");
    }

    [Fact]
    public void Network_LinearOfTheWrongSizeAfterAConvolution_IsRefusedNamingTheShapes()
    {
        Action build = () => _ = new Network<float>(
            Shape.Of(1, 8, 8), new Conv2d<float>(1, 4, 3, new Random(1)), new Flatten<float>(), new Linear<float>(4 * 8 * 8, 10, new Random(2)));

        build.Should().Throw<ArgumentException>().WithMessage("*Linear(256 → 10)*(256)*(144)*");
    }

    [Fact]
    public void Network_AConvolutionFirstWithoutAnInputShape_IsRefused()
    {
        Action build = () => _ = new Network<float>(new Conv2d<float>(1, 4, 3, new Random(1)), new Flatten<float>(), new Linear<float>(36, 2, new Random(2)));

        build.Should().Throw<ArgumentException>().WithMessage("*Conv2d(1 → 4, 3×3)*");
    }

    [Fact]
    public void Connect_ToASecondShape_IsRefused()
    {
        var conv = new Conv2d<float>(1, 2, 3, new Random(1));
        _ = new Network<float>(Shape.Of(1, 8, 8), conv);

        Action reuse = () => _ = new Network<float>(Shape.Of(1, 9, 9), conv);

        reuse.Should().Throw<ArgumentException>().WithMessage("*Conv2d(1 → 2, 3×3)*already connected*(1, 8, 8)*(1, 9, 9)*");
        conv.Connect(Shape.Of(1, 8, 8)).Should().Be(Shape.Of(2, 6, 6), "the same shape again is fine");
    }

    [Fact]
    public void ForwardAndPredict_WithTheWrongRowCount_ThrowNamingTheShapes()
    {
        var conv = new Conv2d<float>(2, 2, 3, new Random(1));
        _ = new Network<float>(Shape.Of(2, 5, 5), conv);
        Matrix<float> wrong = Matrix<float>.Build.Dense(49, 3);

        conv.Invoking(c => c.Forward(wrong)).Should().Throw<ArgumentException>().WithMessage("*Conv2d(2 → 2, 3×3)*50 rows*(2, 5, 5)*49 × 3*");
        conv.Invoking(c => c.Predict(wrong, Matrix<float>.Build.Dense(18, 3))).Should().Throw<ArgumentException>().WithMessage("*50 rows*(2, 5, 5)*49 × 3*");
    }

    [Fact]
    public void Forward_BeforeConnect_ThrowsSayingHow()
    {
        var conv = new Conv2d<float>(2, 2, 3, new Random(1));

        conv.Invoking(c => c.Forward(Matrix<float>.Build.Dense(50, 1))).Should().Throw<InvalidOperationException>().WithMessage("*not connected*Shape.Of(2, height, width)*");
    }

    [Theory]
    [InlineData(0, 4, 3, 1, 0, 1, 1, "*in_channels must be ≥ 1, got 0*")]
    [InlineData(2, 0, 3, 1, 0, 1, 1, "*out_channels must be ≥ 1, got 0*")]
    [InlineData(2, 4, 0, 1, 0, 1, 1, "*kernel_size must be ≥ 1 on both axes, got (0, 0)*")]
    [InlineData(2, 4, 3, 0, 0, 1, 1, "*stride must be ≥ 1 on both axes, got (0, 0)*")]
    [InlineData(2, 4, 3, 1, -1, 1, 1, "*padding must be ≥ 0, got (-1, -1)*")]
    [InlineData(2, 4, 3, 1, 0, 0, 1, "*dilation must be ≥ 1 on both axes, got (0, 0)*")]
    [InlineData(2, 4, 3, 1, 0, 1, 0, "*groups must be ≥ 1, got 0*")]
    [InlineData(2, 4, 3, 1, 0, 1, 3, "*in_channels (2) and out_channels (4) must both be divisible by groups (3)*")]
    [InlineData(4, 6, 3, 1, 0, 1, 4, "*in_channels (4) and out_channels (6) must both be divisible by groups (4)*")]
    public void Constructor_WithAnInvalidValue_ThrowsNamingTheLayerAndValue(int inChannels, int outChannels, int kernel, int stride, int padding, int dilation, int groups, string message)
    {
        Action create = () => _ = new Conv2d<float>(inChannels, outChannels, kernel, new Random(1), stride: stride, padding: padding, dilation: dilation, groups: groups);

        create.Should().Throw<ArgumentException>().WithMessage("Conv2d: " + message);
    }

    [Fact]
    public void Constructor_SamePaddingWithAStride_IsRefusedAsInPyTorch()
    {
        Action create = () => _ = new Conv2d<float>(1, 1, 3, new Random(1), stride: (1, 2), padding: Conv2dPadding.Same);

        create.Should().Throw<ArgumentException>().WithMessage("Conv2d: padding 'same' needs stride (1, 1), got stride (1, 2)*");
    }

    [Fact]
    public void Constructor_FromValuesOfTheWrongLength_IsRefused()
    {
        Action weight = () => _ = new Conv2d<float>(2, 4, 3, 1, 0, 1, 2, new float[35], null);
        Action bias = () => _ = new Conv2d<float>(2, 4, 3, 1, 0, 1, 2, new float[36], new float[3]);

        weight.Should().Throw<ArgumentException>().WithMessage("*Conv2d(2 → 4, 3×3, groups 2*35 values*[4, 1, 3, 3] needs 36*");
        bias.Should().Throw<ArgumentException>().WithMessage("*bias has 3 values, expected 4*");
    }

    [Fact]
    public void SamePadding_KeepsTheImageSize_WithTheExtraRowAndColumnAtTheBottomRight()
    {
        var conv = new Conv2d<float>(1, 1, (4, 2), new Random(1), padding: Conv2dPadding.Same, dilation: (1, 3));

        conv.Connect(Shape.Of(1, 6, 5)).Should().Be(Shape.Of(1, 6, 5));
        conv.Pads.Should().Be((1, 1, 2, 2));
    }

    [Fact]
    public void ForwardAndBackward_InSteadyState_AllocateNothing()
    {
        var conv = new Conv2d<float>(3, 8, 3, new Random(1), padding: 1);
        var pointwise = new Conv2d<float>(8, 4, 1, new Random(2));
        _ = new Network<float>(Shape.Of(3, 12, 12), conv, pointwise);
        Matrix<float> x = RandomValues.NormalMatrix(3 * 12 * 12, 4, new Random(3)).Map(v => (float)v);
        Matrix<float> g = RandomValues.NormalMatrix(4 * 12 * 12, 4, new Random(4)).Map(v => (float)v);
        for (int warmUp = 0; warmUp < 3; warmUp++)
        {
            pointwise.Forward(conv.Forward(x));
            conv.Backward(pointwise.Backward(g));
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int step = 0; step < 20; step++)
        {
            pointwise.Forward(conv.Forward(x));
            conv.Backward(pointwise.Backward(g));
        }

        (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0);
    }

    [Fact]
    public void Predict_FromEightThreads_EqualsSingleThreaded()
    {
        var network = new Network<float>(
            Shape.Of(3, 16, 16),
            new Conv2d<float>(3, 12, 3, new Random(1), Initializer.HeNormal, padding: 1),
            new Relu<float>(),
            new Conv2d<float>(12, 12, 3, new Random(2), stride: 2, groups: 3),
            new Conv2d<float>(12, 5, 1, new Random(3)));
        Matrix<float>[] inputs = [.. Enumerable.Range(0, 8).Select(i => RandomValues.NormalMatrix(3 * 16 * 16, 1 + i, new Random(10 + i)).Map(v => (float)v))];
        float[][] expected = [.. inputs.Select(x => network.Predict(x).ToColumnMajorArray())];

        var actual = new float[8][][];
        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, t =>
        {
            actual[t] = [.. Enumerable.Range(0, 20).Select(r => network.Predict(inputs[(t + r) % 8]).ToColumnMajorArray())];
        });

        for (int t = 0; t < 8; t++)
        {
            for (int r = 0; r < 20; r++)
            {
                actual[t][r].Should().Equal(expected[(t + r) % 8]);
            }
        }
    }

    [Fact]
    public void SmallCnn_Trains_AndSurvivesSaveLoadAndOnnxRoundTrips()
    {
        // Toy task: is the bright bar in a noisy 1 × 8 × 8 image horizontal (class 0) or vertical (class 1)?
        var random = new Random(5);
        const int samples = 96;
        var labels = new int[samples];
        Matrix<float> x = Matrix<float>.Build.Dense(64, samples, (_, _) => (float)(0.2 * random.NextDouble()));
        for (int n = 0; n < samples; n++)
        {
            labels[n] = n % 2;
            int line = random.Next(1, 7);
            for (int t = 0; t < 8; t++)
            {
                x[labels[n] == 0 ? (line * 8) + t : (t * 8) + line, n] += 1f;
            }
        }

        var network = new Network<float>(
            Shape.Of(1, 8, 8),
            new Conv2d<float>(1, 4, 3, new Random(1), Initializer.HeNormal, padding: Conv2dPadding.Same),
            new Relu<float>(),
            new Conv2d<float>(4, 4, (3, 2), new Random(2), Initializer.HeNormal, stride: 2, groups: 2),
            new Relu<float>(),
            new Flatten<float>(),
            new Linear<float>(4 * 3 * 4, 2, new Random(3)));
        var trainer = new Trainer<float>(network, new CrossEntropyLoss<float>(), new Adam<float>(0.01), new TrainerOptions { Epochs = 15, BatchSize = 16, Seed = 1 });

        TrainingHistory history = trainer.Fit(Dataset<float>.ForClassification(x, labels));

        history.Last.TrainingLoss.Should().BeLessThan(0.5 * history[0].TrainingLoss);
        history.Last.TrainingAccuracy.Should().BeGreaterThan(0.9);

        using var file = new MemoryStream();
        network.Save(file);
        file.Position = 0;
        Network<float> loaded = Network<float>.Load(file);
        loaded.Predict(x).Should().Be(network.Predict(x));

        string path = Path.Combine(Path.GetTempPath(), $"conv-{Guid.NewGuid():N}.onnx");
        try
        {
            network.ExportOnnx(path);
            Network<float> imported = Network<float>.ImportOnnx(path);
            imported.InputShape.Should().Be(Shape.Of(1, 8, 8));
            imported.Layers.Select(l => l.GetConfig()).Should().Equal(network.Layers.Select(l => l.GetConfig()));
            imported.Predict(x).ToColumnMajorArray().Should().Equal(network.Predict(x).ToColumnMajorArray(), (a, e) => Math.Abs(a - e) <= 1e-6f);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void ImportOnnx_PyTorchsSamePadsForAnEvenKernel_GivesSamePaddingAndAgreesWithOnnxRuntime()
    {
        // torch.onnx.export of Conv2d(2, 3, (4, 2), padding="same", bias=False): explicit pads, the extra at the end.
        string path = WriteConvModel(inChannels: 2, outChannels: 3, kernel: (4, 2), Shape.Of(2, 6, 5), bias: false, ("pads", new long[] { 1, 0, 2, 1 }));

        Network<double> network = Network<double>.ImportOnnx(path);

        Conv2d<double> conv = network.Layers.Single().Should().BeOfType<Conv2d<double>>().Subject;
        conv.Padding.Should().Be(Conv2dPadding.Same);
        conv.HasBias.Should().BeFalse();
        network.OutputShape.Should().Be(Shape.Of(3, 6, 5));
        Matrix<double> input = RandomValues.NormalMatrix(60, 4, new Random(3)).Map(v => (double)(float)v);
        using var session = new InferenceSession(path);
        var tensor = new DenseTensor<float>(input.ToColumnMajorArray().Select(v => (float)v).ToArray(), [4, 2, 6, 5]);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("x", tensor)]);
        float[] expected = results.Single().AsTensor<float>().ToArray();
        network.Predict(input).ToColumnMajorArray().Should().Equal(expected.Select(v => (double)v), (a, e) => Math.Abs(a - e) <= 1e-5 * Math.Max(1, Math.Abs(e)));
    }

    [Fact]
    public void ImportOnnx_SameUpperAndValid_AreAccepted()
    {
        string same = WriteConvModel(2, 2, (3, 3), Shape.Of(2, 5, 5), bias: true, ("auto_pad", "SAME_UPPER"));
        string valid = WriteConvModel(2, 2, (3, 3), Shape.Of(2, 5, 5), bias: true, ("auto_pad", "VALID"));

        Network<float>.ImportOnnx(same).Layers[0].Should().BeOfType<Conv2d<float>>().Which.Padding.Should().Be(Conv2dPadding.Same);
        Network<float>.ImportOnnx(valid).OutputShape.Should().Be(Shape.Of(2, 3, 3));
    }

    [Theory]
    [InlineData("pads", "1,0,0,0", "*pads [1, 0, 0, 0] differ between the two sides*")]
    [InlineData("auto_pad", "SAME_LOWER", "*auto_pad SAME_LOWER is not supported*")]
    [InlineData("strides", "1,1,1", "*strides must be two integers ≥ 1*")]
    [InlineData("kernel_shape", "3,2", "*kernel_shape [3, 2] does not match W's [3, 3]*")]
    public void ImportOnnx_UnsupportedConvForms_AreRefusedNamingTheNode(string attribute, string value, string message)
    {
        (string, object) setting = attribute == "auto_pad" ? (attribute, value) : (attribute, value.Split(',').Select(long.Parse).ToArray());
        string path = WriteConvModel(2, 2, (3, 3), Shape.Of(2, 5, 5), bias: true, setting);

        Action import = () => Network<float>.ImportOnnx(path);

        import.Should().Throw<ModelFormatException>().WithMessage("*Conv*" + message);
    }

    private static string WriteConvModel(int inChannels, int outChannels, (int Height, int Width) kernel, Shape input, bool bias, params (string Name, object Value)[] attributes)
    {
        var graph = new GraphProto { Name = "conv" };
        var node = new NodeProto { OpType = "Conv", Name = "conv1" };
        node.Input.Add(["x", "w"]);
        graph.Initializer.Add(FloatTensor("w", [outChannels, inChannels, kernel.Height, kernel.Width], RandomValues.Uniform(outChannels * inChannels * kernel.Height * kernel.Width, 5)));
        if (bias)
        {
            node.Input.Add("b");
            graph.Initializer.Add(FloatTensor("b", [outChannels], RandomValues.Uniform(outChannels, 6)));
        }

        node.Output.Add("y");
        foreach ((string name, object value) in attributes)
        {
            var attribute = new AttributeProto { Name = name };
            if (value is string text)
            {
                attribute.Type = AttributeProto.Types.AttributeType.String;
                attribute.S = ByteString.CopyFromUtf8(text);
            }
            else
            {
                attribute.Type = AttributeProto.Types.AttributeType.Ints;
                attribute.Ints.Add((long[])value);
            }

            node.Attribute.Add(attribute);
        }

        graph.Node.Add(node);
        graph.Input.Add(Info("x", [.. input.Dimensions]));
        graph.Output.Add(Info("y", null));
        var model = new ModelProto { IrVersion = 7, Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Version = 13 });
        string path = Path.Combine(Path.GetTempPath(), $"conv-import-{Guid.NewGuid():N}.onnx");
        File.WriteAllBytes(path, model.ToByteArray());
        return path;

        static TensorProto FloatTensor(string name, long[] dims, double[] values)
        {
            var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
            tensor.Dims.Add(dims);
            tensor.FloatData.Add(values.Select(v => (float)v));
            return tensor;
        }

        static ValueInfoProto Info(string name, int[]? dimensions)
        {
            var shape = new TensorShapeProto();
            shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "batch" });
            foreach (int d in dimensions ?? [])
            {
                shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = d });
            }

            return new ValueInfoProto
            {
                Name = name,
                Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = dimensions is null ? null : shape } },
            };
        }
    }

    private static void AssertClose(double[] actual, double[] expected, double tolerance)
    {
        actual.Should().HaveSameCount(expected);
        double scale = Math.Max(1, expected.Max(Math.Abs));
        for (int i = 0; i < actual.Length; i++)
        {
            Math.Abs(actual[i] - expected[i]).Should().BeLessThanOrEqualTo(tolerance * scale, $"entry {i}: {actual[i]} vs {expected[i]}");
        }
    }

    /// <summary>One configuration of the table.</summary>
    public sealed record ConvSpec(
        string Description, int InChannels, int OutChannels, Conv2dSize Kernel, Conv2dSize Stride, Conv2dPadding Padding,
        Conv2dSize Dilation, int Groups, bool Bias, int Height, int Width)
    {
        public Shape InputShape => Shape.Of(InChannels, Height, Width);

        public (int Top, int Left, int Bottom, int Right) Pads
        {
            get
            {
                if (!Padding.IsSame)
                {
                    return (Padding.Height, Padding.Width, Padding.Height, Padding.Width);
                }

                int h = Dilation.Height * (Kernel.Height - 1);
                int w = Dilation.Width * (Kernel.Width - 1);
                return (h / 2, w / 2, h - (h / 2), w - (w / 2));
            }
        }

        public int OutputHeight => ((Height + Pads.Top + Pads.Bottom - (Dilation.Height * (Kernel.Height - 1)) - 1) / Stride.Height) + 1;

        public int OutputWidth => ((Width + Pads.Left + Pads.Right - (Dilation.Width * (Kernel.Width - 1)) - 1) / Stride.Width) + 1;

        public Shape OutputShape => Shape.Of(OutChannels, OutputHeight, OutputWidth);

        public Conv2d<double> CreateConnected()
        {
            var layer = new Conv2d<double>(InChannels, OutChannels, Kernel, new Random(7), Initializer.HeUniform, Stride, Padding, Dilation, Groups, Bias);
            if (layer.Bias is { } bias)
            {
                double[] values = RandomValues.Uniform(OutChannels, 8);
                for (int o = 0; o < OutChannels; o++)
                {
                    bias[o, 0] = values[o];
                }
            }

            layer.Connect(InputShape).Should().Be(OutputShape);
            return layer;
        }

        public override string ToString() => Description;
    }

    /// <summary>The convolution by its definition, in plain loops: output, and the adjoint for the gradients.</summary>
    internal sealed record Reference(double[] Output, double[] InputGradient, double[] WeightGradient, double[] BiasGradient)
    {
        public static Reference Compute(ConvSpec s, double[] weight, double[]? bias, Matrix<double> x, Matrix<double> g)
        {
            int batch = x.ColumnCount;
            int cinG = s.InChannels / s.Groups;
            int coutG = s.OutChannels / s.Groups;
            (int kh, int kw) = (s.Kernel.Height, s.Kernel.Width);
            int ho = s.OutputHeight;
            int wo = s.OutputWidth;
            var y = new double[s.OutChannels * ho * wo * batch];
            var dx = new double[s.InputShape.Size * batch];
            var dw = new double[weight.Length];
            var db = new double[s.OutChannels];
            for (int n = 0; n < batch; n++)
            {
                for (int o = 0; o < s.OutChannels; o++)
                {
                    int group = o / coutG;
                    for (int oh = 0; oh < ho; oh++)
                    {
                        for (int ow = 0; ow < wo; ow++)
                        {
                            int outIndex = (((o * ho) + oh) * wo) + ow;
                            double sum = bias?[o] ?? 0;
                            double upstream = g[outIndex, n];
                            db[o] += upstream;
                            for (int c = 0; c < cinG; c++)
                            {
                                int channel = (group * cinG) + c;
                                for (int i = 0; i < kh; i++)
                                {
                                    int ih = (oh * s.Stride.Height) + (i * s.Dilation.Height) - s.Pads.Top;
                                    for (int j = 0; j < kw; j++)
                                    {
                                        int iw = (ow * s.Stride.Width) + (j * s.Dilation.Width) - s.Pads.Left;
                                        if (ih < 0 || ih >= s.Height || iw < 0 || iw >= s.Width)
                                        {
                                            continue;
                                        }

                                        int inIndex = (((channel * s.Height) + ih) * s.Width) + iw;
                                        int wIndex = (((((o * cinG) + c) * kh) + i) * kw) + j;
                                        sum += weight[wIndex] * x[inIndex, n];
                                        dw[wIndex] += upstream * x[inIndex, n];
                                        dx[(n * s.InputShape.Size) + inIndex] += upstream * weight[wIndex];
                                    }
                                }
                            }

                            y[(n * s.OutputShape.Size) + outIndex] = sum;
                        }
                    }
                }
            }

            return new Reference(y, dx, dw, db);
        }
    }

    private sealed class FanRecorder : IWeightInitializer
    {
        public int FanIn { get; private set; }

        public int FanOut { get; private set; }

        public string Name => "FanRecorder";

        public void Initialize<T>(Span<T> weights, int fanIn, int fanOut, Random random)
            where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
        {
            FanIn = fanIn;
            FanOut = fanOut;
        }
    }

    [Fact]
    public void Network_PaddingSoLargeTheOutputOverflows_IsRefusedAsAnArgument()
    {
        Action build = () => _ = new Network<float>(Shape.Of(1, 1, 1), new Conv2d<float>(1, 1, 1, new Random(0), padding: 1 << 30));

        build.Should().Throw<ArgumentException>().WithMessage("*Conv2d*would exceed*");
    }
}
