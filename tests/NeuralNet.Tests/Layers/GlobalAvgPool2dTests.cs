using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Diagnostics;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Onnx;

namespace NeuralNet.Tests.Layers;

/// <summary>GlobalAvgPool2d: per-channel means as PyTorch's AdaptiveAvgPool2d(1), output (C, 1, 1), and a Linear after a Flatten.</summary>
public sealed class GlobalAvgPool2dTests : ILayerCases, IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("nnet-gap-").FullName;

    /// <inheritdoc />
    public IEnumerable<LayerCase> Cases =>
    [
        new("GlobalAvgPool2d on (3, 4, 5)", () => Connected(Shape.Of(3, 4, 5)), Shape.Of(3, 4, 5)),
        new("GlobalAvgPool2d on (1, 1, 1)", () => Connected(Shape.Of(1, 1, 1)), Shape.Of(1, 1, 1)),
        new("GlobalAvgPool2d on (5, 7, 3)", () => Connected(Shape.Of(5, 7, 3)), Shape.Of(5, 7, 3)),
    ];

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Theory]
    [InlineData(1, 1, 1, 1)]
    [InlineData(3, 4, 5, 2)]
    [InlineData(5, 7, 3, 1)]
    [InlineData(2, 1, 9, 3)]
    public void ForwardPredictAndBackward_AreTheChannelMeansAndTheirGradient(int channels, int height, int width, int batch)
    {
        GlobalAvgPool2d<double> layer = Connected(Shape.Of(channels, height, width));
        Matrix<double> x = RandomValues.NormalMatrix(channels * height * width, batch, new Random(41));
        Matrix<double> g = RandomValues.NormalMatrix(channels, batch, new Random(42));
        var expected = Matrix<double>.Build.Dense(channels, batch);
        var expectedGradient = Matrix<double>.Build.Dense(x.RowCount, batch);
        for (int n = 0; n < batch; n++)
        {
            for (int c = 0; c < channels; c++)
            {
                for (int k = 0; k < height * width; k++)
                {
                    expected[c, n] += x[(c * height * width) + k, n] / (height * width);
                    expectedGradient[(c * height * width) + k, n] = g[c, n] / (height * width);
                }
            }
        }

        Close(layer.Forward(x), expected);
        Close(layer.Backward(g), expectedGradient);
        var predicted = Matrix<double>.Build.Dense(channels, batch);
        layer.Predict(x, predicted);
        Close(predicted, expected);
    }

    [Fact]
    public void OutputShape_IsChannelsByOneByOne_AndALinearFollowsAfterFlatten()
    {
        var network = new Network<float>(
            Shape.Of(8, 7, 7), new GlobalAvgPool2d<float>(), new Flatten<float>(), new Linear<float>(8, 3, new Random(1)));

        network.GetLayerOutputShape(0).Should().Be(Shape.Of(8, 1, 1));
        network.GetLayerOutputShape(1).Should().Be(Shape.Vector(8));
        network.OutputShape.Should().Be(Shape.Vector(3));
    }

    [Fact]
    public void GradientCheck_OfAPoolingNetworkUnderCrossEntropy_Passes()
    {
        var random = new Random(3);
        var network = new Network<double>(
            Shape.Of(2, 6, 5),
            new MaxPool2d<double>(3, 1, 1),
            new AvgPool2d<double>((2, 2), (2, 1), (1, 0), countIncludePad: true),
            new GlobalAvgPool2d<double>(),
            new Flatten<double>(),
            new Linear<double>(2, 3, random));
        Matrix<double> x = RandomValues.NormalMatrix(60, 4, new Random(5));

        GradientCheckReport report = GradientCheck.Network(network, new CrossEntropyLoss<double>(), x, [0, 2, 1, 2]);

        report.Passed.Should().BeTrue(report.ToString());
    }

    [Theory]
    [InlineData(new[] { 12 }, "*GlobalAvgPool2d: expects input samples of shape (channels, height, width), got (12)*")]
    [InlineData(new[] { 3, 4 }, "*GlobalAvgPool2d: expects input samples of shape (channels, height, width), got (3, 4)*")]
    public void GetOutputShape_WrongRank_IsRefusedNamingLayerAndShape(int[] dimensions, string message)
    {
        new GlobalAvgPool2d<float>().Invoking(l => l.GetOutputShape(Shape.Of(dimensions))).Should().Throw<ArgumentException>().WithMessage(message);
    }

    [Fact]
    public void ConnectAndForward_AreGuarded()
    {
        var layer = new GlobalAvgPool2d<float>();
        layer.Invoking(l => l.Forward(Matrix<float>.Build.Dense(4, 1))).Should().Throw<InvalidOperationException>().WithMessage("*GlobalAvgPool2d: not connected*");
        layer.Connect(Shape.Of(2, 3, 3));

        layer.Invoking(l => l.Connect(Shape.Of(2, 4, 4))).Should().Throw<ArgumentException>().WithMessage("*already connected to input samples of (2, 3, 3)*(2, 4, 4)*");
        layer.Invoking(l => l.Forward(Matrix<float>.Build.Dense(19, 1))).Should().Throw<ArgumentException>().WithMessage("*GlobalAvgPool2d: expected an input of 18 features*");
    }

    [Fact]
    public void ForwardAndBackward_AfterWarmUp_AllocateNothing()
    {
        var layer = new GlobalAvgPool2d<float>();
        layer.Connect(Shape.Of(6, 5, 5));
        Matrix<float> full = Matrix<float>.Build.Dense(150, 16, (i, j) => MathF.Sin(i + (7 * j)));
        Matrix<float> partial = Matrix<float>.Build.Dense(150, 5, (i, j) => MathF.Cos(i + j));
        Matrix<float> g = Matrix<float>.Build.Dense(6, 16, 1f);
        Matrix<float> gPartial = Matrix<float>.Build.Dense(6, 5, 1f);
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
        var network = new Network<float>(Shape.Of(4, 6, 6), new MaxPool2d<float>(2), new GlobalAvgPool2d<float>(), new Flatten<float>(), new Linear<float>(4, 3, new Random(2)));
        var random = new Random(23);
        Matrix<float>[] inputs = [.. new[] { 1, 4, 9 }.Select(n => Matrix<float>.Build.Dense(144, n, (_, _) => (float)random.NextDouble()))];
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
    public void ImportOnnx_OfGlobalAveragePoolFlattenAndGemm_PredictsTheSame()
    {
        var network = new Network<float>(Shape.Of(3, 5, 4), new GlobalAvgPool2d<float>(), new Flatten<float>(), new Linear<float>(3, 2, new Random(4)));
        string path = Path.Combine(directory, "gap.onnx");
        network.ExportOnnx(path);

        Network<float> imported = Network<float>.ImportOnnx(path);

        imported.Layers.Select(l => l.GetConfig().Kind).Should().Equal("global_avg_pool_2d", "flatten", "linear");
        Matrix<float> x = Matrix<float>.Build.Dense(60, 3, (i, j) => MathF.Sin((3 * i) + j));
        imported.Predict(x).Should().Be(network.Predict(x));
    }

    private static GlobalAvgPool2d<double> Connected(Shape shape)
    {
        var layer = new GlobalAvgPool2d<double>();
        layer.Connect(shape);
        return layer;
    }

    private static void Close(Matrix<double> actual, Matrix<double> expected) =>
        actual.ToColumnMajorArray().Should().Equal(expected.ToColumnMajorArray(), (a, e) => Math.Abs(a - e) <= 1e-14 * Math.Max(1, Math.Abs(e)));
}
