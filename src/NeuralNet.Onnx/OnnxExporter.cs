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
/// again exactly <c>W</c>'s column-major storage. Each layer gives its own node through
/// <see cref="ILayer{T}.ToOnnx"/>, one node or several (<see cref="OnnxForm.Graph"/>); the opset is 13, or the highest
/// any layer's operators need (LayerNormalization needs 17, GELU 20).
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
        OnnxForm[] forms = [.. network.Layers.Select((layer, i) => ToForm(layer, i))];
        int opset = Math.Max(BaseOpset, forms.Max(f => f.MinimumOpset));
        var graph = new GraphProto { Name = "NeuralNet" };
        string current = InputName;
        for (int i = 0; i < forms.Length; i++)
        {
            string output = i == forms.Length - 1 ? OutputName : $"layer{i}";
            AddNodes(network.Layers[i], forms[i], i, current, output, graph);
            current = output;
        }

        graph.Input.Add(TensorInfo(InputName, network.InputShape));
        graph.Output.Add(TensorInfo(OutputName, network.OutputShape));
        var model = new ModelProto
        {
            IrVersion = opset >= GeluOpset ? 9 : opset >= 15 ? 8 : 7,
            ProducerName = "NeuralNet",
            ProducerVersion = typeof(OnnxExporter).Assembly.GetName().Version?.ToString() ?? "0",
            Graph = graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = opset });
        return model;
    }

    private static OnnxForm ToForm<T>(ILayer<T> layer, int index)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        OnnxForm form = layer.ToOnnx();
        return form.IsSupported
            ? form
            : throw new NotSupportedException(
                $"Layer {index} {layer.Name} ({layer.GetType().Name}) has no ONNX equivalent ({form.NotSupportedReason}); the network cannot be exported.");
    }

    /// <summary>
    /// Adds a layer's nodes and initializers. Local names become graph names: the layer input is <paramref name="input"/>,
    /// the last node writes <paramref name="output"/>, and every other name gets the prefix <c>layer{index}.</c>.
    /// </summary>
    private static void AddNodes<T>(ILayer<T> layer, OnnxForm form, int index, string input, string output, GraphProto graph)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        string name = string.Create(CultureInfo.InvariantCulture, $"layer{index}");
        IReadOnlyList<OnnxFormNode> nodes = form.Nodes;
        if (nodes.Count == 0)
        {
            throw new InvalidOperationException($"Layer {index} {layer.Name} ({layer.GetType().Name}) gives an ONNX graph form without nodes.");
        }

        foreach (OnnxInitializer initializer in form.Initializers)
        {
            string tensorName = $"{name}.{initializer.Name}";
            graph.Initializer.Add(initializer.IsInteger ? Int64Tensor(tensorName, initializer) : FloatTensor(tensorName, initializer, layer.Name));
        }

        string GraphName(string local) =>
            local.Length == 0 ? local
            : local == OnnxForm.LayerInput ? input
            : local == nodes[^1].Output ? output
            : $"{name}.{local}";

        for (int n = 0; n < nodes.Count; n++)
        {
            OnnxFormNode formNode = nodes[n];
            var node = new NodeProto
            {
                OpType = formNode.OperatorType,
                Name = nodes.Count == 1 ? name : string.Create(CultureInfo.InvariantCulture, $"{name}.{n}"),
            };
            node.Input.Add(formNode.Inputs.Select(GraphName));
            node.Output.Add(GraphName(formNode.Output));
            foreach (KeyValuePair<string, LayerSetting> attribute in formNode.Attributes)
            {
                node.Attribute.Add(Attribute(attribute.Key, attribute.Value, layer.Name));
            }

            graph.Node.Add(node);
        }
    }

    private static AttributeProto Attribute(string name, LayerSetting value, string layer)
    {
        var attribute = new AttributeProto { Name = name };
        switch (value.Kind)
        {
            case LayerSettingKind.Number:
                attribute.Type = AttributeProto.Types.AttributeType.Float;
                attribute.F = ToFloat(value.Number, $"{layer}: attribute '{name}'");
                if (attribute.F == 0 && value.Number != 0)
                {
                    // A positive epsilon or alpha of 1e-300 would be read back as 0, which the importer refuses.
                    throw new InvalidOperationException(
                        $"{layer}: attribute '{name}' is {value.Number}, which float32 rounds to 0; an ONNX file holding it could not be imported as written, so nothing was written.");
                }
                break;
            case LayerSettingKind.Integer:
                attribute.Type = AttributeProto.Types.AttributeType.Int;
                attribute.I = value.Integer;
                break;
            case LayerSettingKind.Boolean:
                attribute.Type = AttributeProto.Types.AttributeType.Int;
                attribute.I = value.Boolean ? 1 : 0;
                break;
            case LayerSettingKind.Text:
                attribute.Type = AttributeProto.Types.AttributeType.String;
                attribute.S = ByteString.CopyFromUtf8(value.Text);
                break;
            default:
                attribute.Type = AttributeProto.Types.AttributeType.Ints;
                attribute.Ints.Add(value.Integers);
                break;
        }

        return attribute;
    }

    /// <summary>The value as float32, refusing one that float32 cannot hold: the importer would refuse the file.</summary>
    private static float ToFloat(double value, string what)
    {
        float single = (float)value;
        return float.IsFinite(single)
            ? single
            : throw new InvalidOperationException($"{what} is {value}, which is not a finite float32; an ONNX file holding it could not be imported, so nothing was written.");
    }

    private static TensorProto FloatTensor(string name, OnnxInitializer initializer, string layer)
    {
        var floats = new float[initializer.Values.Count];
        for (int i = 0; i < floats.Length; i++)
        {
            floats[i] = ToFloat(initializer.Values[i], $"{layer}: {initializer.Name}[{i}]");
        }

        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.Add(initializer.Dimensions);
        tensor.RawData = ByteString.CopyFrom(BitConverter.IsLittleEndian ? MemoryMarshal.AsBytes(floats.AsSpan()) : LittleEndian(floats));
        return tensor;
    }

    private static TensorProto Int64Tensor(string name, OnnxInitializer initializer)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int64 };
        tensor.Dims.Add(initializer.Dimensions);
        tensor.Int64Data.Add(initializer.IntegerValues);
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

    private static ValueInfoProto TensorInfo(string name, Shape? shape)
    {
        var dims = new TensorShapeProto();
        dims.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "batch" });
        if (shape is null)
        {
            dims.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "features" });
        }
        else
        {
            foreach (int d in shape.Dimensions)
            {
                dims.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = d });
            }
        }

        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto
            {
                TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = dims },
            },
        };
    }
}
