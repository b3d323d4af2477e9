using Google.Protobuf;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Compute;
using NeuralNet.Layers;
using NeuralNet.Onnx;
using NeuralNet.Tests.Compute;
using NeuralNet.Serialization;
using Onnx;

namespace NeuralNet.Tests.Layers;

/// <summary>MaxPool2d against PyTorch's definition (<see cref="PoolReference"/>), its tie rule, shapes, buffers, threads and ONNX import.</summary>
public sealed class MaxPool2dTests : ILayerCases, IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("nnet-maxpool-").FullName;

    /// <inheritdoc />
    public IEnumerable<LayerCase> Cases =>
    [
        new("MaxPool2d(2) on (3, 6, 6)", () => Connected(new MaxPool2d<double>(2), Shape.Of(3, 6, 6)), Shape.Of(3, 6, 6)),
        new("MaxPool2d(3, 1, 1) on (2, 5, 5)", () => Connected(new MaxPool2d<double>(3, 1, 1), Shape.Of(2, 5, 5)), Shape.Of(2, 5, 5)),
        new("MaxPool2d((3, 2), (2, 1), (1, 0)) on (1, 7, 6)", () => Connected(new MaxPool2d<double>((3, 2), (2, 1), (1, 0)), Shape.Of(1, 7, 6)), Shape.Of(1, 7, 6)),
        new("MaxPool2d(2) on odd (5, 5, 7)", () => Connected(new MaxPool2d<double>(2), Shape.Of(5, 5, 7)), Shape.Of(5, 5, 7)),
    ];

    public static TheoryData<PoolConfig> Table() => PoolConfig.Table();

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Theory]
    [MemberData(nameof(Table))]
    public void ForwardPredictAndBackward_MatchPyTorchsDefinition(PoolConfig config)
    {
        var layer = new MaxPool2d<double>(config.Kernel, config.Stride, config.Padding);
        Shape output = layer.Connect(config.Shape);
        Matrix<double> x = config.Input(seed: 11);
        Matrix<double> g = RandomValues.NormalMatrix(output.Size, config.Batch, new Random(12));
        Matrix<double> expected = PoolReference.Max(x, config.Shape, config.Kernel, config.Stride, config.Padding, g, out Matrix<double> expectedGradient);

        output.Should().Be(PoolReference.OutputShape(config.Shape, config.Kernel, config.Stride, config.Padding));
        layer.Forward(x).Should().Be(expected);
        layer.Backward(g).Should().Be(expectedGradient);
        var predicted = Matrix<double>.Build.Dense(output.Size, config.Batch);
        layer.Predict(x, predicted);
        predicted.Should().Be(expected);
    }

    [Theory]
    [MemberData(nameof(Table))]
    public void Predict_InFloat_MatchesTheReference(PoolConfig config)
    {
        Matrix<double> x = config.Input(seed: 13);
        var network = new Network<float>(config.Shape, new MaxPool2d<float>(config.Kernel, config.Stride, config.Padding));

        Matrix<float> actual = network.Predict(x.Map(v => (float)v));

        Matrix<double> expected = PoolReference.Max(x.Map(v => (double)(float)v), config.Shape, config.Kernel, config.Stride, config.Padding, null, out _);
        actual.Map(v => (double)v).Should().Be(expected);
    }

    public static TheoryData<GemmPath, int, int, int, int> TwoByTwoShapes()
    {
        var data = new TheoryData<GemmPath, int, int, int, int>();
        foreach (GemmPath path in new[] { GemmPath.Portable, GemmPath.Vector256, GemmPath.Vector512 }.Where(ComputeSettings.IsSupported))
        {
            data.Add(path, 3, 28, 28, 2);   // 14 outputs a row: one vector and an overlapping one
            data.Add(path, 2, 7, 17, 2);    // odd height and width: trailing row and column dropped, 8 outputs a row
            data.Add(path, 1, 6, 40, 1);    // stride (1, 2): overlapping rows
            data.Add(path, 4, 14, 14, 2);   // 7 outputs a row: 4-wide vectors, the second overlapping
            data.Add(path, 2, 5, 9, 3);     // 4 outputs a row, odd width
            data.Add(path, 2, 6, 7, 2);     // 3 outputs a row: scalar
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(TwoByTwoShapes))]
    public void TwoByTwoWindow_InFloatOnEveryPath_MatchesTheReferenceWithTiesAndNaN(GemmPath path, int channels, int height, int width, int strideHeight)
    {
        using var forced = new ForcedPath(path);
        Shape shape = Shape.Of(channels, height, width);
        var layer = new MaxPool2d<float>((2, 2), (strideHeight, 2));
        Shape output = layer.Connect(shape);

        // Few distinct values, so windows often tie; some NaNs and infinities.
        var random = new Random(height * width);
        Matrix<double> x = Matrix<double>.Build.Dense(shape.Size, 3, (_, _) => random.Next(20) switch
        {
            0 => double.NaN,
            1 => double.NegativeInfinity,
            2 => double.PositiveInfinity,
            int v => v % 4,
        });
        Matrix<float> xf = x.Map(v => (float)v);
        Matrix<float> g = RandomValues.NormalMatrix(output.Size, 3, new Random(5)).Map(v => (float)v);
        (float[] expected, float[] expectedGradient) = TwoByTwoOracle(xf, g, shape, output, strideHeight);

        float[] y = layer.Forward(xf).ToColumnMajorArray();
        float[] dx = layer.Backward(g).ToColumnMajorArray();
        var predicted = Matrix<float>.Build.Dense(output.Size, 3);
        layer.Predict(xf, predicted);

        y.Select(BitConverter.SingleToInt32Bits).Should().Equal(expected.Select(BitConverter.SingleToInt32Bits));
        predicted.ToColumnMajorArray().Select(BitConverter.SingleToInt32Bits).Should().Equal(expected.Select(BitConverter.SingleToInt32Bits));
        dx.Select(BitConverter.SingleToInt32Bits).Should().Equal(expectedGradient.Select(BitConverter.SingleToInt32Bits));
    }

    /// <summary>The documented rule in plain loops: start at −∞ with the first element, take a later one when it is greater or NaN.</summary>
    private static (float[] Output, float[] InputGradient) TwoByTwoOracle(Matrix<float> x, Matrix<float> g, Shape shape, Shape output, int strideHeight)
    {
        var y = new float[output.Size * x.ColumnCount];
        var dx = new float[shape.Size * x.ColumnCount];
        for (int n = 0; n < x.ColumnCount; n++)
        {
            for (int c = 0; c < shape[0]; c++)
            {
                for (int i = 0; i < output[1]; i++)
                {
                    for (int j = 0; j < output[2]; j++)
                    {
                        float best = float.NegativeInfinity;
                        int at = ((c * shape[1]) + (i * strideHeight)) * shape[2] + (2 * j);
                        foreach ((int a, int b) in new[] { (0, 0), (0, 1), (1, 0), (1, 1) })
                        {
                            int row = (((c * shape[1]) + (i * strideHeight) + a) * shape[2]) + (2 * j) + b;
                            float v = x[row, n];
                            if (v > best || float.IsNaN(v))
                            {
                                best = v;
                                at = row;
                            }
                        }

                        int o = (((c * output[1]) + i) * output[2]) + j;
                        y[(n * output.Size) + o] = x[at, n];
                        dx[(n * shape.Size) + at] += g[o, n];
                    }
                }
            }
        }

        return (y, dx);
    }

    [Fact]
    public void Backward_WindowOfEqualValues_SendsTheWholeGradientToTheFirstInRowMajorOrder()
    {
        // One 3 × 3 window over a 3 × 4 image: the maximum 5 appears at (0, 2), (1, 0) and (2, 1); (0, 2) comes first.
        var layer = Connected(new MaxPool2d<double>(3), Shape.Of(1, 3, 4));
        Matrix<double> x = Matrix<double>.Build.DenseOfColumnArrays([1, 2, 5, 9, 5, 0, 3, 9, 4, 5, 5, 9]);

        layer.Forward(x).ToColumnMajorArray().Should().Equal(5);
        double[] gradient = layer.Backward(Matrix<double>.Build.Dense(1, 1, 7)).ToColumnMajorArray();

        gradient.Should().Equal(0, 0, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    [Fact]
    public void Backward_AllEqualWindows_GiveEachWindowsGradientToItsTopLeftElement()
    {
        var layer = Connected(new MaxPool2d<double>(2), Shape.Of(1, 4, 4));
        layer.Forward(Matrix<double>.Build.Dense(16, 1, 3.0));

        double[] gradient = layer.Backward(Matrix<double>.Build.DenseOfColumnArrays([1, 2, 3, 4])).ToColumnMajorArray();

        gradient.Should().Equal(1, 0, 2, 0, 0, 0, 0, 0, 3, 0, 4, 0, 0, 0, 0, 0);
    }

    [Fact]
    public void Backward_OverlappingWindows_AddTheirGradients()
    {
        // Kernel 3, stride 1 over 1 × 4: both windows pick the 9 in the middle.
        var layer = Connected(new MaxPool2d<double>((1, 3), (1, 1), (0, 0)), Shape.Of(1, 1, 4));
        layer.Forward(Matrix<double>.Build.DenseOfColumnArrays([1, 9, 2, 0]));

        layer.Backward(Matrix<double>.Build.DenseOfColumnArrays([0.5, 0.25])).ToColumnMajorArray().Should().Equal(0, 0.75, 0, 0);
    }

    [Fact]
    public void Backward_OddSize_TrailingRowAndColumnGetZeroGradient()
    {
        var layer = Connected(new MaxPool2d<double>(2), Shape.Of(1, 3, 3));
        layer.Forward(Matrix<double>.Build.Dense(9, 2, (i, j) => i + j)); // the dropped row and column hold the largest values

        Matrix<double> gradient = layer.Backward(Matrix<double>.Build.Dense(1, 2, 1));

        gradient.ToColumnMajorArray().Should().Equal(0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0);
    }

    [Fact]
    public void Forward_PaddingNeverWins_EvenOverNegativeValues()
    {
        var layer = Connected(new MaxPool2d<double>(3, 1, 1), Shape.Of(1, 2, 2));

        layer.Forward(Matrix<double>.Build.DenseOfColumnArrays([-4, -3, -2, -1])).ToColumnMajorArray().Should().Equal(-1, -1, -1, -1);
    }

    [Fact]
    public void GetOutputShape_FollowsPyTorchsFloorFormula()
    {
        new MaxPool2d<float>(2).GetOutputShape(Shape.Of(8, 28, 28)).Should().Be(Shape.Of(8, 14, 14));
        new MaxPool2d<float>(3, 2, 1).GetOutputShape(Shape.Of(3, 7, 8)).Should().Be(Shape.Of(3, 4, 4));
        new MaxPool2d<float>((2, 3), (1, 3), (1, 0)).GetOutputShape(Shape.Of(1, 5, 10)).Should().Be(Shape.Of(1, 6, 3));
    }

    [Theory]
    [InlineData(new[] { 12 }, "*MaxPool2d(kernel (2, 2), stride (2, 2)): expects input samples of shape (channels, height, width), got (12)*")]
    [InlineData(new[] { 3, 4 }, "*MaxPool2d(kernel (2, 2), stride (2, 2))*(channels, height, width), got (3, 4)*")]
    [InlineData(new[] { 1, 2, 3, 4 }, "*(channels, height, width), got (1, 2, 3, 4)*")]
    [InlineData(new[] { 3, 1, 8 }, "*MaxPool2d(kernel (2, 2), stride (2, 2)): the 2 × 2 window is larger than the padded input: samples of (3, 1, 8) padded by (0, 0) are 1 × 8*")]
    public void GetOutputShape_BadShape_IsRefusedNamingLayerAndShapes(int[] dimensions, string message)
    {
        var layer = new MaxPool2d<float>(2);

        layer.Invoking(l => l.GetOutputShape(Shape.Of(dimensions))).Should().Throw<ArgumentException>().WithMessage(message);
    }

    [Fact]
    public void Network_WithAShapeTheWindowDoesNotFit_IsRefusedNamingTheLayer()
    {
        Action build = () => _ = new Network<float>(Shape.Of(2, 4, 4), new MaxPool2d<float>(2), new MaxPool2d<float>(2), new MaxPool2d<float>(2));

        build.Should().Throw<ArgumentException>().WithMessage("Layer 2 MaxPool2d(kernel (2, 2), stride (2, 2)) cannot take input samples of shape (2, 1, 1)*window is larger than the padded input*");
    }

    [Theory]
    [InlineData(0, 1, 0, "*kernel size must be at least 1 × 1, got (0, 0)*")]
    [InlineData(2, 0, 0, "*stride must be at least 1 × 1, got (0, 0)*")]
    [InlineData(3, 1, -1, "*padding must not be negative, got (-1, -1)*")]
    [InlineData(3, 1, 2, "*MaxPool2d: the padding (2, 2) must be at most half the kernel (3, 3)*")]
    [InlineData(1, 1, 1, "*padding (1, 1) must be at most half the kernel (1, 1)*")]
    public void Constructor_BadSettings_AreRefused(int kernel, int stride, int padding, string message)
    {
        Action create = () => _ = new MaxPool2d<float>(kernel, stride, padding);

        create.Should().Throw<ArgumentOutOfRangeException>().WithMessage(message);
    }

    [Fact]
    public void Connect_ToASecondShape_IsRefused()
    {
        var layer = new MaxPool2d<float>(2);
        layer.Connect(Shape.Of(3, 8, 8));

        layer.Connect(Shape.Of(3, 8, 8)).Should().Be(Shape.Of(3, 4, 4));
        layer.Invoking(l => l.Connect(Shape.Of(3, 6, 6))).Should().Throw<ArgumentException>()
            .WithMessage("*MaxPool2d(kernel (2, 2), stride (2, 2)): already connected to input samples of (3, 8, 8); it cannot also take (3, 6, 6)*");
    }

    [Fact]
    public void ForwardAndPredict_Unconnected_ThrowSayingHowToConnect()
    {
        var layer = new MaxPool2d<float>(2);
        Matrix<float> x = Matrix<float>.Build.Dense(16, 1);

        layer.Invoking(l => l.Forward(x)).Should().Throw<InvalidOperationException>().WithMessage("*not connected*input shape*");
        layer.Invoking(l => l.Predict(x, Matrix<float>.Build.Dense(4, 1))).Should().Throw<InvalidOperationException>().WithMessage("*not connected*");
        layer.Invoking(l => l.Backward(Matrix<float>.Build.Dense(4, 1))).Should().Throw<InvalidOperationException>().WithMessage("*Backward was called before Forward*");
    }

    [Fact]
    public void Forward_WrongRowCount_IsRefusedNamingTheShapes()
    {
        var layer = Connected(new MaxPool2d<double>(2), Shape.Of(3, 4, 4));

        layer.Invoking(l => l.Forward(Matrix<double>.Build.Dense(47, 2))).Should().Throw<ArgumentException>()
            .WithMessage("*MaxPool2d(kernel (2, 2), stride (2, 2)): expected an input of 48 features × batch*got 47 × 2*");
    }

    [Fact]
    public void ForwardAndBackward_AfterWarmUp_AllocateNothing()
    {
        var layer = new MaxPool2d<float>(3, 2, 1);
        Shape output = layer.Connect(Shape.Of(4, 9, 9));
        Matrix<float> full = Matrix<float>.Build.Dense(4 * 9 * 9, 16, (i, j) => MathF.Sin(i + (7 * j)));
        Matrix<float> partial = Matrix<float>.Build.Dense(4 * 9 * 9, 5, (i, j) => MathF.Cos(i + j));
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
        var network = new Network<float>(Shape.Of(3, 12, 10), new MaxPool2d<float>(3, 1, 1), new MaxPool2d<float>((2, 3), (2, 2), (1, 1)));
        var random = new Random(21);
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
    public void GetConfig_StoresKernelStrideAndPaddingAsPairs()
    {
        new MaxPool2d<float>((3, 2), (2, 1), (1, 0)).GetConfig().ToString().Should().Be("max_pool_2d(kernel = [3, 2], stride = [2, 1], padding = [1, 0])");
        new MaxPool2d<float>(2).GetConfig().ToString().Should().Be("max_pool_2d(kernel = [2, 2], stride = [2, 2], padding = [0, 0])");
    }

    [Fact]
    public void ImportOnnx_OfAnExportedNetwork_GivesTheSameLayerAndPredictions()
    {
        var network = new Network<float>(Shape.Of(2, 7, 6), new MaxPool2d<float>((3, 2), (2, 1), (1, 0)), new Flatten<float>());
        string path = Path.Combine(directory, "pool.onnx");
        network.ExportOnnx(path);

        Network<float> imported = Network<float>.ImportOnnx(path);

        imported.Layers[0].GetConfig().Should().Be(network.Layers[0].GetConfig());
        imported.InputShape.Should().Be(Shape.Of(2, 7, 6));
        Matrix<float> x = Matrix<float>.Build.Dense(84, 3, (i, j) => MathF.Sin((3 * i) + j));
        imported.Predict(x).Should().Be(network.Predict(x));
    }

    [Fact]
    public void ImportOnnx_WithoutStrides_UsesOnnxsDefaultOfOne()
    {
        ModelProto model = Exported();
        Node(model).Attribute.Remove(Node(model).Attribute.Single(a => a.Name == "strides"));
        model.Graph.Output[0].Type.TensorType.Shape = null; // the exported output shape was for stride 2

        var layer = (MaxPool2d<float>)Import(model).Layers[0];

        layer.Stride.Should().Be((1, 1));
    }

    [Theory]
    [InlineData("ceil_mode", "*ceil_mode = 1 is not supported*")]
    [InlineData("dilations", "*dilations [2, 2] are not supported*")]
    [InlineData("storage_order", "*storage_order = 1*not supported*")]
    [InlineData("indices", "*only MaxPool with one output*Indices*")]
    [InlineData("asymmetric", "*pads [1, 0, 0, 0] are asymmetric*")]
    [InlineData("large_pads", "*padding (2, 2) must be at most half the kernel (3, 3)*")]
    public void ImportOnnx_UnsupportedMaxPool_IsRefusedNamingWhy(string change, string message)
    {
        ModelProto model = Exported();
        NodeProto node = Node(model);
        switch (change)
        {
            case "ceil_mode":
                node.Attribute.Add(new AttributeProto { Name = "ceil_mode", Type = AttributeProto.Types.AttributeType.Int, I = 1 });
                break;
            case "dilations":
                node.Attribute.Add(Ints("dilations", 2, 2));
                break;
            case "storage_order":
                node.Attribute.Add(new AttributeProto { Name = "storage_order", Type = AttributeProto.Types.AttributeType.Int, I = 1 });
                break;
            case "indices":
                node.Output.Add("indices");
                break;
            case "asymmetric":
                node.Attribute.Remove(node.Attribute.Single(a => a.Name == "pads"));
                node.Attribute.Add(Ints("pads", 1, 0, 0, 0));
                break;
            default:
                node.Attribute.Remove(node.Attribute.Single(a => a.Name == "pads"));
                node.Attribute.Add(Ints("pads", 2, 2, 2, 2));
                break;
        }

        Action import = () => Import(model);

        import.Should().Throw<ModelFormatException>().WithMessage($"*MaxPool*{message}");
    }

    internal static AttributeProto Ints(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.Add(values);
        return attribute;
    }

    private static TLayer Connected<TLayer>(TLayer layer, Shape shape)
        where TLayer : ILayer<double>
    {
        layer.Connect(shape);
        return layer;
    }

    private static NodeProto Node(ModelProto model) => model.Graph.Node.Single(n => n.OpType == "MaxPool");

    private ModelProto Exported()
    {
        string path = Path.Combine(directory, "exported.onnx");
        new Network<float>(Shape.Of(1, 6, 6), new MaxPool2d<float>(3, 2, 1)).ExportOnnx(path);
        return ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));
    }

    private Network<float> Import(ModelProto model)
    {
        string path = Path.Combine(directory, "changed.onnx");
        File.WriteAllBytes(path, model.ToByteArray());
        return Network<float>.ImportOnnx(path);
    }
}
