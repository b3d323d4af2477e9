using Google.Protobuf;
using MathNet.Numerics.LinearAlgebra;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using NeuralNet.Layers;
using NeuralNet.Onnx;
using NeuralNet.Serialization;
using Onnx;
using static NeuralNet.Tests.Serialization.SerializationSamples;

namespace NeuralNet.Tests.Onnx;

public sealed class OnnxImportTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("nnet-onnx-import-").FullName;

    /// <summary>Every kind that comes back as itself (Dropout comes back as Identity; see its own test).</summary>
    public static TheoryData<string> Kinds() => [.. LayerKinds.Where(k => k != "dropout")];

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Theory]
    [MemberData(nameof(Kinds))]
    public void ExportThenImport_GivesBitIdenticalPredictions(string kind)
    {
        Network<float> network = NetworkWith<float>(kind, seed: 21);
        string path = Path.Combine(directory, $"{kind}.onnx");
        network.ExportOnnx(path);

        Network<float> imported = Network<float>.ImportOnnx(path);

        imported.ToString().Should().Be(network.ToString());
        Matrix<float> input = RandomInput<float>(5, 8, 22);
        Bits(imported.Predict(input)).Should().Equal(Bits(network.Predict(input)));
    }

    [Fact]
    public void PyTorchStyleModel_GemmTransBAndMatMulAddWithDropout_ImportsAndAgreesWithOnnxRuntime()
    {
        // What torch.onnx.export writes for Linear(3,4) → ReLU → Dropout → Linear(4,2) → Softmax(dim=1), with the second
        // linear layer written as MatMul + Add and weights in PyTorch's [out, in] layout for Gemm (transB = 1).
        float[] w1 = [0.5f, -1f, 0.25f, 1.5f, 0.75f, -0.5f, -0.25f, 1f, 2f, 0.125f, -2f, 0.5f]; // [4, 3]
        float[] b1 = [0.1f, -0.2f, 0.3f, 0f];
        float[] w2 = [1f, -1f, 0.5f, 0.25f, -0.75f, 2f, 1.25f, -0.5f]; // [4, 2] for MatMul
        float[] b2 = [0.05f, -0.05f];
        var graph = new GraphProto { Name = "torch_jit" };
        graph.Initializer.Add(Tensor("fc1.weight", [4, 3], w1));
        graph.Initializer.Add(Tensor("fc1.bias", [4], b1));
        graph.Initializer.Add(Tensor("fc2.weight_t", [4, 2], w2));
        graph.Initializer.Add(Tensor("fc2.bias", [2], b2));
        graph.Node.Add(Node("Gemm", ["x", "fc1.weight", "fc1.bias"], "h1", new AttributeProto { Name = "transB", Type = AttributeProto.Types.AttributeType.Int, I = 1 }));
        graph.Node.Add(Node("Relu", ["h1"], "h2"));
        graph.Node.Add(Node("Dropout", ["h2"], "h3"));
        graph.Node.Add(Node("MatMul", ["h3", "fc2.weight_t"], "h4"));
        graph.Node.Add(Node("Add", ["h4", "fc2.bias"], "h5"));
        graph.Node.Add(Node("Softmax", ["h5"], "probabilities", new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = 1 }));
        graph.Input.Add(Info("x", 3));
        graph.Output.Add(Info("probabilities", 2));
        var model = new ModelProto { IrVersion = 7, Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Version = 13 });
        string path = Path.Combine(directory, "torch.onnx");
        File.WriteAllBytes(path, model.ToByteArray());

        Network<double> network = Network<double>.ImportOnnx(path);

        network.Layers.Select(l => l.Name).Should().Equal("Linear(3 → 4)", "ReLU", "Linear(4 → 2)", "Softmax");
        network.Layers[0].Should().BeOfType<Linear<double>>().Which.Weights[1, 2].Should().Be(-0.5, "row 1, column 2 of PyTorch's [out, in] weight");
        network.Layers[2].Should().BeOfType<Linear<double>>().Which.Weights[1, 3].Should().Be(-0.5, "MatMul's [in, out] weight transposed");
        Matrix<double> input = RandomInput<double>(3, 6, 1);
        using var session = new InferenceSession(path);
        var tensor = new DenseTensor<float>(input.ToColumnMajorArray().Select(v => (float)v).ToArray(), [6, 3]);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("x", tensor)]);
        float[] expected = results.Single().AsTensor<float>().ToArray();
        network.Predict(input).ToColumnMajorArray().Should().Equal(expected.Select(v => (double)v), (a, e) => Math.Abs(a - e) <= 1e-6);
    }

    [Fact]
    public void Dropout_ExportedAsIdentity_ImportsAsIdentityWithBitIdenticalPredictions()
    {
        Network<float> network = NetworkWith<float>("dropout", seed: 4);
        string path = Path.Combine(directory, "dropout.onnx");
        network.ExportOnnx(path);

        Network<float> imported = Network<float>.ImportOnnx(path);

        imported.Layers[1].Should().BeOfType<Identity<float>>();
        Matrix<float> input = RandomInput<float>(5, 8, 5);
        Bits(imported.Predict(input)).Should().Equal(Bits(network.Predict(input)));
    }

    [Fact]
    public void PyTorchStyleBatchNormalization_ImportsWithMomentumConverted_AndAgreesWithOnnxRuntime()
    {
        // torch.onnx.export of BatchNorm1d(3, momentum=0.1, eps=1e-3) in eval mode: ONNX momentum = 1 − 0.1.
        var graph = new GraphProto { Name = "torch_jit" };
        graph.Initializer.Add(Tensor("bn.weight", [3], [1.5f, 0.5f, -1f]));
        graph.Initializer.Add(Tensor("bn.bias", [3], [0.1f, -0.2f, 0.3f]));
        graph.Initializer.Add(Tensor("bn.running_mean", [3], [0.25f, -1f, 2f]));
        graph.Initializer.Add(Tensor("bn.running_var", [3], [4f, 0.5f, 1.25f]));
        var node = Node("BatchNormalization", ["x", "bn.weight", "bn.bias", "bn.running_mean", "bn.running_var"], "y");
        node.Attribute.Add(new AttributeProto { Name = "epsilon", Type = AttributeProto.Types.AttributeType.Float, F = 1e-3f });
        node.Attribute.Add(new AttributeProto { Name = "momentum", Type = AttributeProto.Types.AttributeType.Float, F = 0.9f });
        graph.Node.Add(node);
        graph.Input.Add(Info("x", 3));
        graph.Output.Add(Info("y", 3));
        var model = new ModelProto { IrVersion = 7, Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Version = 13 });
        string path = Path.Combine(directory, "bn.onnx");
        File.WriteAllBytes(path, model.ToByteArray());

        Network<double> network = Network<double>.ImportOnnx(path);

        var norm = network.Layers.Single().Should().BeOfType<BatchNorm1d<double>>().Which;
        norm.Momentum.Should().Be(0.1);
        norm.Epsilon.Should().Be(1e-3);
        norm.RunningVariance.ToArray().Should().Equal(4, 0.5, 1.25);
        Matrix<double> input = RandomInput<double>(3, 6, 2);
        using var session = new InferenceSession(path);
        var tensor = new DenseTensor<float>(input.ToColumnMajorArray().Select(v => (float)v).ToArray(), [6, 3]);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("x", tensor)]);
        float[] expected = results.Single().AsTensor<float>().ToArray();
        network.Predict(input).ToColumnMajorArray().Should().Equal(expected.Select(v => (double)v), (a, e) => Math.Abs(a - e) <= 1e-5);
    }

    [Fact]
    public void BatchNormalizationInTrainingMode_IsRejectedNamingTheNode()
    {
        var graph = new GraphProto();
        graph.Initializer.Add(Tensor("s", [2], [1f, 1f]));
        graph.Initializer.Add(Tensor("b", [2], [0f, 0f]));
        graph.Initializer.Add(Tensor("m", [2], [0f, 0f]));
        graph.Initializer.Add(Tensor("v", [2], [1f, 1f]));
        graph.Node.Add(Node("BatchNormalization", ["x", "s", "b", "m", "v"], "y", new AttributeProto { Name = "training_mode", Type = AttributeProto.Types.AttributeType.Int, I = 1 }));
        graph.Input.Add(Info("x", 2));
        graph.Output.Add(Info("y", 2));
        string path = Path.Combine(directory, "bn-training.onnx");
        File.WriteAllBytes(path, new ModelProto { Graph = graph }.ToByteArray());

        Action import = () => Network<float>.ImportOnnx(path);

        import.Should().Throw<ModelFormatException>().WithMessage($"{path}: node 0 (BatchNormalization*only inference-mode BatchNormalization*");
    }

    [Fact]
    public void UnsupportedOperator_IsRejectedNamingTheNode()
    {
        var graph = new GraphProto();
        // Conv has been imported since Conv2d; Einsum has no layer.
        graph.Node.Add(Node("Einsum", ["x"], "y"));
        graph.Input.Add(Info("x", 3));
        graph.Output.Add(Info("y", 3));
        string path = Path.Combine(directory, "einsum.onnx");
        File.WriteAllBytes(path, new ModelProto { Graph = graph }.ToByteArray());

        Action import = () => Network<float>.ImportOnnx(path);

        import.Should().Throw<ModelFormatException>().WithMessage($"{path}: node 0 (Einsum 'Einsum_y')*no NeuralNet layer*");
    }

    [Fact]
    public void NonOnnxFile_IsRejected()
    {
        string path = Path.Combine(directory, "text.onnx");
        File.WriteAllText(path, "this is not protobuf \u0001\u00ff");

        Action import = () => Network<float>.ImportOnnx(path);

        import.Should().Throw<ModelFormatException>().WithMessage($"{path}*");
    }

    private static TensorProto Tensor(string name, long[] dims, float[] values)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.Add(dims);
        tensor.FloatData.Add(values);
        return tensor;
    }

    private static NodeProto Node(string op, string[] inputs, string output, AttributeProto? attribute = null)
    {
        var node = new NodeProto { OpType = op, Name = $"{op}_{output}" };
        node.Input.Add(inputs);
        node.Output.Add(output);
        if (attribute is not null)
        {
            node.Attribute.Add(attribute);
        }

        return node;
    }

    private static ValueInfoProto Info(string name, int features)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "batch" });
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = features });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }
}
