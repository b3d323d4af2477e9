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
/// Reads an ONNX model that is a single chain of nodes from one data input to the output, each node imported by the
/// layer that registered its operator (<see cref="LayerRegistry.OnnxOperators"/>; see <c>docs/layers.md</c>), with
/// weights as float or double initializers (or Constant nodes), such as PyTorch exports of an MLP or a CNN. The sample
/// shape the graph input declares is followed through the layers, so a node can see the shape flowing into it.
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

        CheckNames(graph, source);
        long? opset = model.OpsetImport.FirstOrDefault(o => o.Domain is "" or "ai.onnx")?.Version;
        var layers = new List<ILayer<T>>();
        string current = inputs[0].Name;
        Shape? declared = DeclaredSampleShape(inputs[0]);
        Shape? shape = declared;
        for (int n = 0; n < graph.Node.Count; n++)
        {
            NodeProto node = graph.Node[n];
            string where = $"{source}: node {n} ({node.OpType} '{node.Name}')";
            if (node.Attribute.GroupBy(a => a.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } repeated)
            {
                throw new ModelFormatException($"{where}: the attribute '{repeated.Key}' is given {repeated.Count()} times.");
            }

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

            var view = new ProtoNode<T>(graph, n, constants, source, shape);
            if (!LayerRegistry.TryImport(view, out ILayer<T>? layer))
            {
                throw new ModelFormatException($"{where}: this operator has no NeuralNet layer; supported: {string.Join(", ", LayerRegistry.OnnxOperators)}.");
            }

            int minimum = LayerRegistry.MinimumOpset(node.OpType);
            if (opset is long version && version < minimum)
            {
                throw new ModelFormatException($"{where}: {node.OpType} exists from opset {minimum}, but the model imports opset {version}.");
            }

            view.CheckEveryInputRead();
            view.CheckEveryAttributeRead();
            view.ConsumedNode?.CheckEveryInputRead();
            view.ConsumedNode?.CheckEveryAttributeRead();
            if (layer is not null)
            {
                layers.Add(layer);
                shape = OutputShape(layer, shape);
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

        Network<T> network;
        try
        {
            network = new Network<T>(declared, layers);
        }
        catch (ArgumentException e)
        {
            throw new ModelFormatException($"{source}: the layers do not fit together: {e.Message}", e);
        }

        CheckDeclared(inputs[0], "input", network.InputSize, source);
        CheckDeclared(graph.Output[0], "output", network.OutputSize, source);
        return network;
    }

    /// <summary>
    /// The sample shape a layer gives for <paramref name="input"/>, so the next node's importer sees the shape flowing
    /// into it (<see cref="OnnxNode.InputShape"/>); <see langword="null"/> when unknown or refused (building the network
    /// then reports the mismatch with both shapes).
    /// </summary>
    private static Shape? OutputShape<T>(ILayer<T> layer, Shape? input)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (input is null)
        {
            return null;
        }

        try
        {
            return layer.GetOutputShape(input);
        }
        catch (ArgumentException)
        {
            return null;
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

    /// <summary>Every value has one producer: no node writes a name that a graph input, an initializer or another node defines.</summary>
    private static void CheckNames(GraphProto graph, string source)
    {
        var defined = new HashSet<string>(graph.Input.Select(i => i.Name).Concat(graph.Initializer.Select(t => t.Name)), StringComparer.Ordinal);
        for (int n = 0; n < graph.Node.Count; n++)
        {
            foreach (string output in graph.Node[n].Output)
            {
                if (output.Length > 0 && !defined.Add(output))
                {
                    throw new ModelFormatException($"{source}: node {n} ({graph.Node[n].OpType} '{graph.Node[n].Name}') writes '{output}', which the graph already defines; every value has one producer.");
                }
            }
        }
    }

    /// <summary>
    /// A declared graph input or output, when it has a type, must be a float or double tensor of rank ≥ 1 whose
    /// dimensions after the batch are at least 1 and, when all are fixed, hold exactly the features the layers take or give.
    /// </summary>
    private static void CheckDeclared(ValueInfoProto info, string what, int? features, string source)
    {
        if (info.Type is null)
        {
            return;
        }

        string where = $"{source}: the graph {what} '{info.Name}'";
        if (info.Type.ValueCase != TypeProto.ValueOneofCase.TensorType)
        {
            throw new ModelFormatException($"{where} is declared as a {info.Type.ValueCase}; it must be a tensor.");
        }

        TypeProto.Types.Tensor tensor = info.Type.TensorType;
        if (tensor.ElemType is not ((int)TensorProto.Types.DataType.Undefined or (int)TensorProto.Types.DataType.Float or (int)TensorProto.Types.DataType.Double))
        {
            throw new ModelFormatException($"{where} is declared with element type {(TensorProto.Types.DataType)tensor.ElemType}; a network takes and gives float or double tensors.");
        }

        if (tensor.Shape is null)
        {
            return;
        }

        var dims = tensor.Shape.Dim;
        if (dims.Count == 0 || (dims[0].HasDimValue && dims[0].DimValue < 0))
        {
            throw new ModelFormatException($"{where} is declared with shape [{Describe(dims)}]; expected [batch, features…].");
        }

        long declared = 1;
        bool fixedFeatures = true;
        foreach (TensorShapeProto.Types.Dimension dim in dims.Skip(1))
        {
            if (!dim.HasDimValue)
            {
                fixedFeatures = false;
            }
            else if (dim.DimValue < 1 || (declared *= dim.DimValue) > Array.MaxLength)
            {
                throw new ModelFormatException($"{where} is declared with shape [{Describe(dims)}]; a feature dimension must be between 1 and {Array.MaxLength:N0} in all.");
            }
        }

        if (fixedFeatures && features is int size && declared != size)
        {
            throw new ModelFormatException($"{where} is declared with shape [{Describe(dims)}], {declared:N0} features per sample, but the layers {(what == "input" ? "take" : "give")} {size:N0}.");
        }
    }

    private static string Describe(IEnumerable<TensorShapeProto.Types.Dimension> dims) =>
        string.Join(", ", dims.Select(d => d.HasDimValue ? d.DimValue.ToString(CultureInfo.InvariantCulture) : d.HasDimParam ? d.DimParam : "?"));
}
