using Google.Protobuf;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Layers;
using NeuralNet.Onnx;
using NeuralNet.Serialization;
using Onnx;

namespace NeuralNet.Tests.Layers;

/// <summary>AvgPool2d against PyTorch's definition (<see cref="PoolReference"/>), the count_include_pad divisor, shapes, buffers, threads and ONNX import.</summary>
public sealed class AvgPool2dTests : ILayerCases, IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("nnet-avgpool-").FullName;

    /// <inheritdoc />
    public IEnumerable<LayerCase> Cases =>
    [
        new("AvgPool2d(2) on (3, 6, 6)", () => Connected(new AvgPool2d<double>(2), Shape.Of(3, 6, 6)), Shape.Of(3, 6, 6)),
        new("AvgPool2d(3, 1, 1) on (2, 5, 5)", () => Connected(new AvgPool2d<double>(3, 1, 1), Shape.Of(2, 5, 5)), Shape.Of(2, 5, 5)),
        new("AvgPool2d(3, 2, 1, count_include_pad false) on (2, 5, 6)", () => Connected(new AvgPool2d<double>(3, 2, 1, countIncludePad: false), Shape.Of(2, 5, 6)), Shape.Of(2, 5, 6)),
        new("AvgPool2d((3, 2), (2, 1), (1, 0)) on (1, 7, 6)", () => Connected(new AvgPool2d<double>((3, 2), (2, 1), (1, 0), countIncludePad: true), Shape.Of(1, 7, 6)), Shape.Of(1, 7, 6)),
    ];

    public static TheoryData<PoolConfig, bool> Table()
    {
        var data = new TheoryData<PoolConfig, bool>();
        foreach (PoolConfig config in PoolConfig.Table())
        {
            data.Add(config, true);
            data.Add(config, false);
        }

        return data;
    }

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Theory]
    [MemberData(nameof(Table))]
    public void ForwardPredictAndBackward_MatchPyTorchsDefinition(PoolConfig config, bool countIncludePad)
    {
        var layer = new AvgPool2d<double>(config.Kernel, config.Stride, config.Padding, countIncludePad);
        Shape output = layer.Connect(config.Shape);
        Matrix<double> x = config.Input(seed: 31);
        Matrix<double> g = RandomValues.NormalMatrix(output.Size, config.Batch, new Random(32));
        Matrix<double> expected = PoolReference.Avg(x, config.Shape, config.Kernel, config.Stride, config.Padding, countIncludePad, g, out Matrix<double> expectedGradient);

        output.Should().Be(PoolReference.OutputShape(config.Shape, config.Kernel, config.Stride, config.Padding));
        Close(layer.Forward(x), expected);
        Close(layer.Backward(g), expectedGradient);
        var predicted = Matrix<double>.Build.Dense(output.Size, config.Batch);
        layer.Predict(x, predicted);
        Close(predicted, expected);
    }

    [Theory]
    [MemberData(nameof(Table))]
    public void Predict_InFloat_MatchesTheReference(PoolConfig config, bool countIncludePad)
    {
        Matrix<double> x = config.Input(seed: 33);
        var network = new Network<float>(config.Shape, new AvgPool2d<float>(config.Kernel, config.Stride, config.Padding, countIncludePad));

        Matrix<float> actual = network.Predict(x.Map(v => (float)v));

        Matrix<double> expected = PoolReference.Avg(x, config.Shape, config.Kernel, config.Stride, config.Padding, countIncludePad, null, out _);
        actual.ToColumnMajorArray().Should().Equal(expected.ToColumnMajorArray(), (a, e) => Math.Abs(a - e) <= 1e-6);
    }

    [Fact]
    public void Forward_CountIncludePad_DividesBorderWindowsByTheFullKernel()
    {
        // Ones on 3 × 3, kernel 3, padding 1: a corner window covers 4 ones, an edge window 6, the centre 9.
        var included = Connected(new AvgPool2d<double>(3, 1, 1), Shape.Of(1, 3, 3));
        var excluded = Connected(new AvgPool2d<double>(3, 1, 1, countIncludePad: false), Shape.Of(1, 3, 3));
        Matrix<double> ones = Matrix<double>.Build.Dense(9, 1, 1.0);

        included.Forward(ones).ToColumnMajorArray().Should().Equal([4 / 9.0, 6 / 9.0, 4 / 9.0, 6 / 9.0, 1, 6 / 9.0, 4 / 9.0, 6 / 9.0, 4 / 9.0], (a, e) => Math.Abs(a - e) < 1e-15);
        excluded.Forward(ones).ToColumnMajorArray().Should().Equal([1, 1, 1, 1, 1, 1, 1, 1, 1], (a, e) => Math.Abs(a - e) < 1e-15);
    }

    [Fact]
    public void Backward_CountIncludePad_GivesEachCoveredElementOneNinthPerWindow()
    {
        // Upstream ones: the corner is in 4 windows, an edge element in 6, the centre in 9; each passes 1/9.
        var layer = Connected(new AvgPool2d<double>(3, 1, 1), Shape.Of(1, 3, 3));
        layer.Forward(Matrix<double>.Build.Dense(9, 1, 2.0));

        double[] gradient = layer.Backward(Matrix<double>.Build.Dense(9, 1, 1.0)).ToColumnMajorArray();

        gradient.Should().Equal([4 / 9.0, 6 / 9.0, 4 / 9.0, 6 / 9.0, 1, 6 / 9.0, 4 / 9.0, 6 / 9.0, 4 / 9.0], (a, e) => Math.Abs(a - e) < 1e-15);
    }

    [Fact]
    public void Backward_OddSize_TrailingRowAndColumnGetZeroGradient()
    {
        var layer = Connected(new AvgPool2d<double>(2), Shape.Of(1, 3, 3));
        layer.Forward(Matrix<double>.Build.Dense(9, 1, (i, _) => i));

        layer.Backward(Matrix<double>.Build.Dense(1, 1, 1.0)).ToColumnMajorArray().Should().Equal(0.25, 0.25, 0, 0.25, 0.25, 0, 0, 0, 0);
    }

    [Theory]
    [InlineData(new[] { 12 }, "*AvgPool2d(kernel (3, 3), stride (1, 1), padding (1, 1)): expects input samples of shape (channels, height, width), got (12)*")]
    [InlineData(new[] { 4, 4 }, "*(channels, height, width), got (4, 4)*")]
    public void GetOutputShape_WrongRank_IsRefusedNamingLayerAndShapes(int[] dimensions, string message)
    {
        var layer = new AvgPool2d<float>(3, 1, 1);

        layer.Invoking(l => l.GetOutputShape(Shape.Of(dimensions))).Should().Throw<ArgumentException>().WithMessage(message);
    }

    [Fact]
    public void GetOutputShape_WindowLargerThanThePaddedInput_IsRefusedNamingLayerAndShapes()
    {
        var layer = new AvgPool2d<float>((4, 4), (1, 1), (1, 1), countIncludePad: true);

        layer.Invoking(l => l.GetOutputShape(Shape.Of(2, 1, 9))).Should().Throw<ArgumentException>()
            .WithMessage("*AvgPool2d(kernel (4, 4), stride (1, 1), padding (1, 1)): the 4 × 4 window is larger than the padded input: samples of (2, 1, 9) padded by (1, 1) are 3 × 11*");
    }

    [Fact]
    public void Constructor_PaddingAboveHalfTheKernel_IsRefused()
    {
        Action create = () => _ = new AvgPool2d<float>((2, 4), (1, 1), (1, 3), countIncludePad: true);

        create.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*AvgPool2d: the padding (1, 3) must be at most half the kernel (2, 4)*");
    }

    [Fact]
    public void ForwardAndBackward_AfterWarmUp_AllocateNothing()
    {
        var layer = new AvgPool2d<float>(3, 2, 1, countIncludePad: false);
        Shape output = layer.Connect(Shape.Of(4, 9, 9));
        Matrix<float> full = Matrix<float>.Build.Dense(324, 16, (i, j) => MathF.Sin(i + (7 * j)));
        Matrix<float> partial = Matrix<float>.Build.Dense(324, 5, (i, j) => MathF.Cos(i + j));
        Matrix<float> g = Matrix<float>.Build.Dense(output.Size, 16, 1f);
        Matrix<float> gPartial = Matrix<float>.Build.Dense(output.Size, 5, 1f);
        for (int warmUp = 0; warmUp < 2; warmUp++)
        {
            layer.Forward(full);
            layer.Backward(g);
            layer.Forward(partial);
            layer.Backward(gPartial);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int step = 0; step < 10; step++)
        {
            layer.Forward(full);
            layer.Backward(g);
            layer.Forward(partial);
            layer.Backward(gPartial);
        }

        (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0);
    }

    [Fact]
    public void Predict_From8Threads_EqualsSingleThreaded()
    {
        var network = new Network<float>(Shape.Of(3, 12, 10), new AvgPool2d<float>(3, 1, 1), new AvgPool2d<float>((2, 3), (2, 2), (1, 1), countIncludePad: false));
        var random = new Random(22);
        Matrix<float>[] inputs = [.. new[] { 1, 4, 9 }.Select(n => Matrix<float>.Build.Dense(360, n, (_, _) => (float)random.NextDouble()))];
        Matrix<float>[] expected = [.. inputs.Select(network.Predict)];
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();

        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, thread =>
        {
            for (int round = 0; round < 20; round++)
            {
                int which = (thread + round) % inputs.Length;
                if (!network.Predict(inputs[which]).Equals(expected[which]))
                {
                    failures.Add($"thread {thread}, round {round}");
                }
            }
        });

        failures.Should().BeEmpty();
    }

    [Fact]
    public void GetConfig_StoresThePairsAndTheDivisorRule()
    {
        new AvgPool2d<float>(3, 1, 1).GetConfig().ToString().Should().Be("avg_pool_2d(kernel = [3, 3], stride = [1, 1], padding = [1, 1], count_include_pad = true)");
        new AvgPool2d<float>(3, 1, 1, countIncludePad: false).Name.Should().Be("AvgPool2d(kernel (3, 3), stride (1, 1), padding (1, 1), count_include_pad false)");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ImportOnnx_OfAnExportedNetwork_KeepsTheDivisorRuleAndPredictions(bool countIncludePad)
    {
        var network = new Network<float>(Shape.Of(2, 5, 6), new AvgPool2d<float>(3, 2, 1, countIncludePad));
        string path = Path.Combine(directory, "avg.onnx");
        network.ExportOnnx(path);

        Network<float> imported = Network<float>.ImportOnnx(path);

        imported.Layers.Single().GetConfig().Should().Be(network.Layers[0].GetConfig());
        Matrix<float> x = Matrix<float>.Build.Dense(60, 3, (i, j) => MathF.Sin((3 * i) + j));
        imported.Predict(x).Should().Be(network.Predict(x));
    }

    [Fact]
    public void ImportOnnx_WithoutCountIncludePad_TakesOnnxsDefaultOfZero()
    {
        ModelProto model = Exported();
        NodeProto node = Node(model);
        node.Attribute.Remove(node.Attribute.Single(a => a.Name == "count_include_pad"));

        ((AvgPool2d<float>)Import(model).Layers[0]).CountIncludePad.Should().BeFalse();
    }

    [Theory]
    [InlineData("ceil_mode", 1L, "*ceil_mode = 1 is not supported*")]
    [InlineData("count_include_pad", 2L, "*count_include_pad must be 0 or 1, got 2*")]
    [InlineData("dilations", 2L, "*dilations [2, 2] are not supported*")]
    [InlineData("auto_pad", 0L, "*auto_pad = SAME_UPPER is not supported*")]
    public void ImportOnnx_UnsupportedAveragePool_IsRefusedNamingWhy(string attribute, long value, string message)
    {
        ModelProto model = Exported();
        NodeProto node = Node(model);
        node.Attribute.Remove(node.Attribute.SingleOrDefault(a => a.Name == attribute) ?? new AttributeProto());
        node.Attribute.Add(attribute switch
        {
            "dilations" => MaxPool2dTests.Ints("dilations", value, value),
            "auto_pad" => new AttributeProto { Name = "auto_pad", Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8("SAME_UPPER") },
            _ => new AttributeProto { Name = attribute, Type = AttributeProto.Types.AttributeType.Int, I = value },
        });

        Action import = () => Import(model);

        import.Should().Throw<ModelFormatException>().WithMessage($"*AveragePool*{message}");
    }

    private static void Close(Matrix<double> actual, Matrix<double> expected) =>
        actual.ToColumnMajorArray().Should().Equal(expected.ToColumnMajorArray(), (a, e) => Math.Abs(a - e) <= 1e-14 * Math.Max(1, Math.Abs(e)));

    private static TLayer Connected<TLayer>(TLayer layer, Shape shape)
        where TLayer : ILayer<double>
    {
        layer.Connect(shape);
        return layer;
    }

    private static NodeProto Node(ModelProto model) => model.Graph.Node.Single(n => n.OpType == "AveragePool");

    private ModelProto Exported()
    {
        string path = Path.Combine(directory, "exported.onnx");
        new Network<float>(Shape.Of(1, 6, 6), new AvgPool2d<float>(3, 2, 1)).ExportOnnx(path);
        return ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));
    }

    private Network<float> Import(ModelProto model)
    {
        string path = Path.Combine(directory, "changed.onnx");
        File.WriteAllBytes(path, model.ToByteArray());
        return Network<float>.ImportOnnx(path);
    }
}
