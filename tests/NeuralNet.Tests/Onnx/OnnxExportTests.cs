using MathNet.Numerics.LinearAlgebra;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using NeuralNet.Layers;
using NeuralNet.Onnx;
using static NeuralNet.Tests.Serialization.SerializationSamples;

namespace NeuralNet.Tests.Onnx;

/// <summary>Runs exported models in ONNX Runtime and compares them with <see cref="Network{T}.Predict(Matrix{T})"/>.</summary>
public sealed class OnnxExportTests : IDisposable
{
    private const double Tolerance = 1e-5;

    private readonly string directory = Directory.CreateTempSubdirectory("nnet-onnx-").FullName;

    public static TheoryData<string> Kinds() => [.. LayerKinds];

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Theory]
    [MemberData(nameof(Kinds))]
    public void OnnxRuntime_MatchesPredict_ForEveryLayerKind(string kind)
    {
        for (int seed = 1; seed <= 3; seed++)
        {
            Network<float> network = NetworkWith<float>(kind, seed);
            Matrix<float> input = RandomInput<float>(5, 17, seed + 100);

            float[] actual = RunOnnx(network, input, out int[] shape);

            shape.Should().Equal(17, network.OutputSize!.Value);
            actual.Should().Equal(network.Predict(input).ToColumnMajorArray(), (a, e) => Math.Abs(a - e) <= Tolerance, $"seed {seed}");
        }
    }

    [Fact]
    public void OnnxRuntime_MatchesPredict_ForADeepNetworkWithEveryKind()
    {
        var random = new Random(8);
        var layers = new List<ILayer<float>> { RandomLinear<float>(6, 8, random) };
        foreach (string kind in LayerKinds.Where(k => k is not "linear" and not "softmax"))
        {
            layers.Add(CreateActivation<float>(kind, width: 8));
            layers.Add(RandomLinear<float>(8, 8, random));
        }

        layers.Add(new Softmax<float>());
        var network = new Network<float>(layers);
        Matrix<float> input = RandomInput<float>(6, 33, 9);

        float[] actual = RunOnnx(network, input, out _);

        actual.Should().Equal(network.Predict(input).ToColumnMajorArray(), (a, e) => Math.Abs(a - e) <= Tolerance);
    }

    [Fact]
    public void DoubleNetwork_IsExportedAsFloat32_AndStillMatchesWithinTolerance()
    {
        Network<double> network = NetworkWith<double>("tanh", 4);
        Matrix<double> input = RandomInput<double>(5, 7, 5);

        float[] actual = RunOnnx(network, input.Map(v => (float)v), out _, network.ExportOnnx);

        actual.Should().Equal(network.Predict(input).ToColumnMajorArray(), (a, e) => Math.Abs(a - e) <= Tolerance);
    }

    [Fact]
    public void BatchNormWithTrainedRunningStatistics_AndDropoutAfterTrainingPasses_MatchOnnxRuntime()
    {
        var random = new Random(12);
        var network = new Network<float>(
            RandomLinear<float>(5, 6, random), new BatchNorm1d<float>(6, momentum: 0.5), new Relu<float>(), new Dropout<float>(0.5, seed: 2), RandomLinear<float>(6, 3, random));
        for (int step = 0; step < 3; step++)
        {
            network.Forward(RandomInput<float>(5, 16, 30 + step)); // moves the running statistics and the dropout generator
        }

        var model = NeuralNet.Onnx.OnnxExporter.Build(network);
        model.Graph.Node.Select(n => n.OpType).Should().Equal("Gemm", "BatchNormalization", "Relu", "Identity", "Gemm");
        model.Graph.Node[1].Attribute.Single(a => a.Name == "momentum").F.Should().Be(0.5f, "ONNX's momentum weighs the old running value");
        Matrix<float> input = RandomInput<float>(5, 11, 40);

        float[] actual = RunOnnx(network, input, out _);

        actual.Should().Equal(network.Predict(input).ToColumnMajorArray(), (a, e) => Math.Abs(a - e) <= Tolerance);
    }

    [Fact]
    public void Opset_Is13_OrTwentyWhenTheNetworkUsesGelu()
    {
        NeuralNet.Onnx.OnnxExporter.Build(NetworkWith<float>("relu", 1)).OpsetImport.Single().Version.Should().Be(13);
        NeuralNet.Onnx.OnnxExporter.Build(NetworkWith<float>("gelu", 1)).OpsetImport.Single().Version.Should().Be(20);
    }

    [Fact]
    public void LayerWithoutAnOnnxEquivalent_ThrowsNamingIt_AndWritesNothing()
    {
        var network = new Network<float>(new Linear<float>(2, 2, new Random(1)), new NeuralNet.Tests.Serialization.ForeignLayer<float>("Custom"));
        string path = Path.Combine(directory, "never.onnx");

        Action export = () => network.ExportOnnx(path);

        export.Should().Throw<NotSupportedException>().WithMessage("Layer 1 Custom (ForeignLayer`1) has no ONNX equivalent*");
        Directory.EnumerateFileSystemEntries(directory).Should().BeEmpty();
    }

    private float[] RunOnnx(Network<float> network, Matrix<float> input, out int[] shape) =>
        RunOnnx(network, input, out shape, network.ExportOnnx);

    private float[] RunOnnx<T>(Network<T> network, Matrix<float> input, out int[] shape, Action<string> export)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        string path = Path.Combine(directory, $"{Guid.NewGuid():N}.onnx");
        export(path);
        using var session = new InferenceSession(path);
        session.InputMetadata.Keys.Should().Equal("input");

        // Column-major features × batch is row-major [batch, features]: the same memory.
        var tensor = new DenseTensor<float>(input.ToColumnMajorArray(), [input.ColumnCount, input.RowCount]);
        using IDisposableReadOnlyCollection<DisposableNamedOnnxValue> results = session.Run([NamedOnnxValue.CreateFromTensor("input", tensor)]);
        Tensor<float> output = results.Single(r => r.Name == "output").AsTensor<float>();
        shape = output.Dimensions.ToArray();
        network.OutputSize.Should().Be(shape[1]);
        return output.ToArray();
    }
}
