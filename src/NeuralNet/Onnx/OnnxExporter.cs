using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;
using Google.Protobuf;
using NeuralNet.Compute;
using NeuralNet.Layers;
using NeuralNet.Serialization;
using Onnx;

namespace NeuralNet.Onnx;

/// <summary>
/// Builds an ONNX model equivalent to a network: input <c>"input"</c> of shape <c>[batch, features]</c> (the ONNX
/// convention: one sample per row), output <c>"output"</c> of shape <c>[batch, outputs]</c>, float32 throughout.
/// </summary>
/// <remarks>
/// Our minibatches are <c>features × batch</c> column-major, whose memory is exactly a row-major
/// <c>[batch, features]</c> tensor, so no transposition happens at the boundary. A linear layer
/// <c>Y = W·X + b</c> becomes <c>Gemm(input, Wᵀ, b)</c>: <c>Wᵀ</c> as a row-major <c>[inputs, outputs]</c> tensor is
/// again exactly <c>W</c>'s column-major storage. Opset 13 is used, or opset 20 when the network contains
/// <see cref="Gelu{T}"/> (ONNX's Gelu operator first appears there).
/// </remarks>
internal static class OnnxExporter
{
    public const string InputName = "input";
    public const string OutputName = "output";
    public const int BaseOpset = 13;
    public const int GeluOpset = 20;

    public static void Export<T>(Network<T> network, string path)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        AtomicFile.Write(path, Build(network).ToByteArray());

    public static ModelProto Build<T>(Network<T> network)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        int opset = network.Layers.Any(l => l is Gelu<T>) ? GeluOpset : BaseOpset;
        var graph = new GraphProto { Name = "NeuralNet" };
        string current = InputName;
        int? features = network.InputSize;
        int? width = features;
        for (int i = 0; i < network.Layers.Count; i++)
        {
            ILayer<T> layer = network.Layers[i];
            string output = i == network.Layers.Count - 1 ? OutputName : $"layer{i}";
            graph.Node.Add(ToNode(layer, i, current, output, graph));
            width = width is int w ? layer.GetOutputSize(w) : null;
            current = output;
        }

        graph.Input.Add(TensorInfo(InputName, features));
        graph.Output.Add(TensorInfo(OutputName, width));
        var model = new ModelProto
        {
            IrVersion = opset >= GeluOpset ? 9 : 7,
            ProducerName = "NeuralNet",
            ProducerVersion = typeof(OnnxExporter).Assembly.GetName().Version?.ToString() ?? "0",
            Graph = graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = opset });
        return model;
    }

    private static NodeProto ToNode<T>(ILayer<T> layer, int index, string input, string output, GraphProto graph)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        string name = string.Create(CultureInfo.InvariantCulture, $"layer{index}");
        switch (layer)
        {
            case Linear<T> linear:
                string weights = $"{name}.weight_t";
                string bias = $"{name}.bias";
                graph.Initializer.Add(FloatTensor(weights, [linear.Inputs, linear.Outputs], DenseStorage.Of(linear.Weights, "weights")));
                graph.Initializer.Add(FloatTensor(bias, [linear.Outputs], linear.Bias.ToArray()));
                return Node("Gemm", name, [input, weights, bias], output);
            case ReLU<T>:
                return Node("Relu", name, [input], output);
            case LeakyReLU<T> leaky:
                return Node("LeakyRelu", name, [input], output, FloatAttribute("alpha", leaky.Slope));
            case Sigmoid<T>:
                return Node("Sigmoid", name, [input], output);
            case Tanh<T>:
                return Node("Tanh", name, [input], output);
            case Identity<T>:
                return Node("Identity", name, [input], output);
            case Elu<T> elu:
                return Node("Elu", name, [input], output, FloatAttribute("alpha", elu.Alpha));
            case Softplus<T>:
                return Node("Softplus", name, [input], output);
            case Gelu<T>:
                return Node("Gelu", name, [input], output);
            case Dropout<T>:
                // Dropout is the identity at inference, which is all an exported model does.
                return Node("Identity", name, [input], output);
            case BatchNorm1d<T> norm:
                return BatchNormalization(norm, name, input, output, graph);
            case Softmax<T>:
                // Our softmax normalises each sample; in [batch, features] that is the last axis.
                return Node("Softmax", name, [input], output, new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = -1 });
            default:
                throw new NotSupportedException(
                    $"Layer {index} {layer.Name} ({layer.GetType().Name}) has no ONNX equivalent; the network cannot be exported.");
        }
    }

    /// <summary>
    /// Inference-mode <c>BatchNormalization(X, scale, B, mean, var)</c>: in <c>[batch, features]</c> the channel axis 1
    /// is our feature axis, so the per-feature vectors go in unchanged. ONNX's momentum weighs the old running value,
    /// ours the new batch, hence <c>1 − m</c>.
    /// </summary>
    private static NodeProto BatchNormalization<T>(BatchNorm1d<T> norm, string name, string input, string output, GraphProto graph)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        string[] inputs = [input, $"{name}.weight", $"{name}.bias", $"{name}.running_mean", $"{name}.running_var"];
        graph.Initializer.Add(FloatTensor(inputs[1], [norm.Features], norm.Parameters[0].ValueSpan));
        graph.Initializer.Add(FloatTensor(inputs[2], [norm.Features], norm.Parameters[1].ValueSpan));
        graph.Initializer.Add(FloatTensor<T>(inputs[3], [norm.Features], norm.RunningMean));
        graph.Initializer.Add(FloatTensor<T>(inputs[4], [norm.Features], norm.RunningVariance));
        NodeProto node = Node("BatchNormalization", name, inputs, output, FloatAttribute("epsilon", norm.Epsilon));
        node.Attribute.Add(FloatAttribute("momentum", 1 - norm.Momentum));
        return node;
    }

    private static NodeProto Node(string op, string name, string[] inputs, string output, AttributeProto? attribute = null)
    {
        var node = new NodeProto { OpType = op, Name = name };
        node.Input.Add(inputs);
        node.Output.Add(output);
        if (attribute is not null)
        {
            node.Attribute.Add(attribute);
        }

        return node;
    }

    private static AttributeProto FloatAttribute(string name, double value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = (float)value };

    private static TensorProto FloatTensor<T>(string name, long[] dims, ReadOnlySpan<T> values)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var floats = new float[values.Length];
        for (int i = 0; i < floats.Length; i++)
        {
            floats[i] = float.CreateChecked(values[i]);
        }

        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.Add(dims);
        tensor.RawData = ByteString.CopyFrom(BitConverter.IsLittleEndian ? MemoryMarshal.AsBytes(floats.AsSpan()) : LittleEndian(floats));
        return tensor;
    }

    private static byte[] LittleEndian(float[] values)
    {
        var bytes = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), values[i]);
        }

        return bytes;
    }

    private static ValueInfoProto TensorInfo(string name, int? features)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "batch" });
        shape.Dim.Add(features is int f
            ? new TensorShapeProto.Types.Dimension { DimValue = f }
            : new TensorShapeProto.Types.Dimension { DimParam = "features" });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto
            {
                TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape },
            },
        };
    }
}
