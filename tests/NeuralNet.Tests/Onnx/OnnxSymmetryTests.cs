using Google.Protobuf;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Layers;
using NeuralNet.Onnx;
using NeuralNet.Serialization;
using Onnx;

namespace NeuralNet.Tests.Onnx;

/// <summary>
/// Export refuses what import would refuse (weights or attributes that are not finite float32), and import refuses
/// weights that would stop being finite in the element type imported into.
/// </summary>
public sealed class OnnxSymmetryTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("nnet-onnx-symmetry-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Theory]
    [InlineData(1e300, "*weight_t[0] is 1E+300*not a finite float32*")]
    [InlineData(-1e39, "*weight_t[0] is -1E+39*")]
    [InlineData(double.NaN, "*weight_t[0] is NaN*")]
    public void ExportOfAWeightFloatCannotHold_IsRefused_WritesNothing(double weight, string message)
    {
        var linear = new Linear<double>(2, 2, new Random(1));
        linear.Weights[0, 0] = weight;
        string path = Path.Combine(directory, "refused.onnx");

        Action export = () => new Network<double>(linear).ExportOnnx(path);

        export.Should().Throw<InvalidOperationException>().WithMessage(message);
        File.Exists(path).Should().BeFalse();
    }

    [Fact]
    public void Export_OfANaNBias_IsRefused()
    {
        var linear = new Linear<double>(2, 2, new Random(1));
        linear.Bias[1] = double.NaN;

        Action export = () => new Network<double>(linear).ExportOnnx(Path.Combine(directory, "nan.onnx"));

        export.Should().Throw<InvalidOperationException>().WithMessage("*Linear(2 → 2): bias[1] is NaN*");
    }

    [Fact]
    public void Export_OfASlopeFloatCannotHold_IsRefused()
    {
        var network = new Network<double>(new Linear<double>(2, 2, new Random(1)), new LeakyRelu<double>(1e300));

        Action export = () => network.ExportOnnx(Path.Combine(directory, "slope.onnx"));

        export.Should().Throw<InvalidOperationException>().WithMessage("*LeakyReLU*attribute 'alpha' is 1E+300*");
    }

    [Theory]
    [InlineData(1e300)]
    [InlineData(-1e39)]
    public void ImportIntoFloat_DoubleWeightFloatCannotHold_IsRefused(double weight)
    {
        string path = Path.Combine(directory, "big.onnx");
        File.WriteAllBytes(path, GemmModel(weight).ToByteArray());

        Action toFloat = () => Network<float>.ImportOnnx(path);
        Network<double> asDouble = Network<double>.ImportOnnx(path);

        toFloat.Should().Throw<ModelFormatException>().WithMessage($"*initializer 'w' holds {weight}*not a finite Single*");
        asDouble.Parameters[0].ValueSpan[0].Should().Be(weight);
    }

    [Fact]
    public void Import_OfBatchNormalizationStatisticsFloatCannotHold_IsRefused()
    {
        var graph = new GraphProto { Name = "g" };
        graph.Initializer.Add(Doubles("s", [2], [1, 1]));
        graph.Initializer.Add(Doubles("b", [2], [0, 0]));
        graph.Initializer.Add(Doubles("m", [2], [0, 0]));
        graph.Initializer.Add(Doubles("v", [2], [1, 1e300]));
        var node = new NodeProto { OpType = "BatchNormalization", Name = "bn" };
        node.Input.Add(["x", "s", "b", "m", "v"]);
        node.Output.Add("y");
        graph.Node.Add(node);
        graph.Input.Add(new ValueInfoProto { Name = "x" });
        graph.Output.Add(new ValueInfoProto { Name = "y" });
        string path = Path.Combine(directory, "bn.onnx");
        File.WriteAllBytes(path, new ModelProto { Graph = graph }.ToByteArray());

        Action import = () => Network<float>.ImportOnnx(path);

        import.Should().Throw<ModelFormatException>().WithMessage("*node 0 (BatchNormalization 'bn')*initializer 'v' holds 1E+300 at index 1*");
    }

    [Fact]
    public void EveryExportedFile_ImportsBackWithTheSameLayers()
    {
        var random = new Random(3);
        var network = new Network<float>(
            new Linear<float>(3, 4, random), new BatchNorm1d<float>(4), new LeakyRelu<float>(0.2), new Dropout<float>(0.1, 1),
            new Linear<float>(4, 4, random), new HardSigmoid<float>(), new Linear<float>(4, 2, random), new Softmax<float>());
        string path = Path.Combine(directory, "round.onnx");

        network.ExportOnnx(path);
        Network<float> imported = Network<float>.ImportOnnx(path);

        // Dropout comes back as Identity (an exported model only does inference).
        imported.Layers.Select(l => l.GetConfig().Kind).Should().Equal("linear", "batch_norm_1d", "leaky_relu", "identity", "linear", "hard_sigmoid", "linear", "softmax");
        Matrix<float> x = Matrix<float>.Build.Dense(3, 5, (i, j) => (float)Math.Cos(i + (2 * j)));
        imported.Predict(x).ToColumnMajorArray().Should().Equal(network.Predict(x).ToColumnMajorArray(), (a, e) => Math.Abs(a - e) <= 1e-6f);
    }

    private static ModelProto GemmModel(double weight)
    {
        var graph = new GraphProto { Name = "g" };
        graph.Initializer.Add(Doubles("w", [2, 2], [weight, 0, 0, 1]));
        var node = new NodeProto { OpType = "Gemm", Name = "fc" };
        node.Input.Add(["x", "w"]);
        node.Output.Add("y");
        graph.Node.Add(node);
        graph.Input.Add(new ValueInfoProto { Name = "x" });
        graph.Output.Add(new ValueInfoProto { Name = "y" });
        return new ModelProto { Graph = graph };
    }

    private static TensorProto Doubles(string name, long[] dims, double[] values)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Double };
        tensor.Dims.Add(dims);
        tensor.DoubleData.Add(values);
        return tensor;
    }

    [Fact]
    public void ExportOfAnAttributeRoundingToZero_IsRefused()
    {
        var network = new Network<double>(new Linear<double>(2, 2, new Random(1)), new Elu<double>(1e-50));

        Action export = () => network.ExportOnnx(Path.Combine(directory, "tiny.onnx"));

        export.Should().Throw<InvalidOperationException>().WithMessage("*attribute 'alpha' is 1E-50, which float32 rounds to 0*");
    }

    [Fact]
    public void ImportOfAnAttributeOfTheWrongType_IsRefusedNamingIt()
    {
        ModelProto model = GemmModel(1);
        model.Graph.Node[0].Attribute.Add(new AttributeProto { Name = "transB", Type = AttributeProto.Types.AttributeType.Float, F = 1 });
        string path = Path.Combine(directory, "float-transb.onnx");
        File.WriteAllBytes(path, model.ToByteArray());

        Action import = () => Network<float>.ImportOnnx(path);

        import.Should().Throw<ModelFormatException>().WithMessage("*attribute 'transB' has type Float; it must be Int*");
    }
}
