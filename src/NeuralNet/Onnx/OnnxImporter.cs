using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Text;
using Google.Protobuf;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Layers;
using NeuralNet.Serialization;
using Onnx;

namespace NeuralNet.Onnx;

/// <summary>
/// Reads an ONNX model made of the subset <see cref="OnnxExporter"/> writes — a single chain of Gemm (or MatMul
/// followed by Add), Relu, LeakyRelu, Sigmoid, Tanh, Identity, Elu, Softplus, Gelu, Softmax over the last axis, Conv (2-D), plus
/// Dropout and Flatten(axis 1), which do nothing at inference and add no layer — with weights as float or double initializers
/// (or Constant nodes), such as PyTorch exports of an MLP.
/// </summary>
internal static class OnnxImporter
{
    public static Network<T> Import<T>(string path)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ModelProto model;
        using (FileStream stream = File.OpenRead(path))
        {
            try
            {
                model = ModelProto.Parser.ParseFrom(stream);
            }
            catch (InvalidProtocolBufferException e)
            {
                throw new ModelFormatException($"{path}: not a valid ONNX model ({e.Message}).", e);
            }
        }

        return Import<T>(model, path);
    }

    public static Network<T> Import<T>(ModelProto model, string source)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        try
        {
            return Convert<T>(model, source);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or ArithmeticException or KeyNotFoundException or IndexOutOfRangeException)
        {
            // Whatever a crafted graph trips over (duplicate names, a layer refusing a setting, an overflowing shape),
            // the caller gets the one documented exception for bad content.
            throw new ModelFormatException($"{source}: the ONNX graph cannot be converted: {e.Message}", e);
        }
    }

    private static Network<T> Convert<T>(ModelProto model, string source)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        GraphProto graph = model.Graph ?? throw new ModelFormatException($"{source}: the ONNX model has no graph.");
        var constants = graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
        ValueInfoProto[] inputs = [.. graph.Input.Where(i => !constants.ContainsKey(i.Name))];
        if (inputs.Length != 1 || graph.Output.Count != 1)
        {
            throw new ModelFormatException($"{source}: expected one data input and one output, found inputs [{string.Join(", ", inputs.Select(i => i.Name))}] and {graph.Output.Count} outputs.");
        }

        var layers = new List<ILayer<T>>();
        string current = inputs[0].Name;
        for (int n = 0; n < graph.Node.Count; n++)
        {
            NodeProto node = graph.Node[n];
            string where = $"{source}: node {n} ({node.OpType} '{node.Name}')";
            if (node.OpType == "Constant")
            {
                TensorProto value = node.Attribute.FirstOrDefault(a => a.Name == "value")?.T
                    ?? throw new ModelFormatException($"{where}: only tensor-valued Constant nodes are supported.");
                constants[node.Output.Single()] = value;
                continue;
            }

            if (node.Input.Count == 0 || node.Input[0] != current || node.Output.Count < 1)
            {
                throw new ModelFormatException($"{where}: the graph must be a single chain, but this node reads '{(node.Input.Count > 0 ? node.Input[0] : "nothing")}' instead of '{current}'.");
            }

            var view = new ProtoNode<T>(graph, n, constants, source);
            if (!LayerRegistry.TryImport(view, out ILayer<T>? layer))
            {
                throw new ModelFormatException($"{where}: this operator has no NeuralNet layer; supported: {string.Join(", ", LayerRegistry.OnnxOperators)}.");
            }

            if (layer is not null)
            {
                layers.Add(layer);
            }

            n += view.Consumed;
            current = graph.Node[n].Output[0];
        }

        if (current != graph.Output[0].Name)
        {
            throw new ModelFormatException($"{source}: the chain ends in '{current}', not in the graph output '{graph.Output[0].Name}'.");
        }

        if (layers.Count == 0)
        {
            layers.Add(LayerRegistry.Create<T>(new LayerConfig("identity")));
        }

        try
        {
            return new Network<T>(DeclaredSampleShape(inputs[0]), layers);
        }
        catch (ArgumentException e)
        {
            throw new ModelFormatException($"{source}: the layers do not fit together: {e.Message}", e);
        }
    }

    /// <summary>
    /// The shape of one sample as the graph input declares it (<c>[batch, …]</c>, every dimension after the batch a
    /// number), or <see langword="null"/> when any is symbolic: then the layers fix it, as for a <c>[batch, features]</c> MLP.
    /// </summary>
    private static Shape? DeclaredSampleShape(ValueInfoProto input)
    {
        TensorShapeProto? shape = input.Type?.TensorType?.Shape;
        if (shape is null || shape.Dim.Count < 2 || shape.Dim.Skip(1).Any(d => d.ValueCase != TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue || d.DimValue is < 1 or > int.MaxValue))
        {
            return null;
        }

        try
        {
            return Shape.Of([.. shape.Dim.Skip(1).Select(d => (int)d.DimValue)]);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
