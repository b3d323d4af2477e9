using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Text;
using NeuralNet.Layers;
using NeuralNet.Serialization;
using Onnx;

namespace NeuralNet.Onnx;

/// <summary>An ONNX protobuf node seen through <see cref="OnnxNode"/>, with the graph's constants and the next node.</summary>
/// <typeparam name="T">The element type the network is imported into: constants must be finite in it.</typeparam>
internal sealed class ProtoNode<T> : OnnxNode
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly GraphProto graph;
    private readonly int index;
    private readonly NodeProto node;
    private readonly Dictionary<string, TensorProto> constants;
    private readonly string source;
    private readonly HashSet<string> attributesRead = new(StringComparer.Ordinal);
    private int inputsRead = 1;
    private ProtoNode<T>? next;
    private ProtoNode<T>? consumedNode;

    /// <param name="graph">The graph.</param>
    /// <param name="index">The node's index in <paramref name="graph"/>.</param>
    /// <param name="constants">The initializers and Constant outputs seen so far, by name.</param>
    /// <param name="source">The file, for messages.</param>
    /// <param name="inputShape">The sample shape flowing into the node, when known.</param>
    public ProtoNode(GraphProto graph, int index, Dictionary<string, TensorProto> constants, string source, Shape? inputShape = null)
    {
        InputShape = inputShape;
        this.graph = graph;
        this.index = index;
        this.constants = constants;
        this.source = source;
        node = graph.Node[index];
    }

    /// <summary>How many following nodes the layer folded in (0 or 1).</summary>
    public int Consumed { get; private set; }

    public override string OperatorType => node.OpType;

    public override int InputCount => node.Input.Count;

    public override Shape? InputShape { get; }

    public override int OutputCount => node.Output.Count(o => o.Length > 0);

    /// <summary>
    /// The node after the last one folded in, when it reads that node's output. A view: folding is done through the
    /// node the importer was given (<see cref="ConsumeNext"/>), never through this view.
    /// </summary>
    public override OnnxNode? Next
    {
        get
        {
            int last = index + Consumed;
            int following = last + 1;
            NodeProto previous = graph.Node[last];
            if (following < graph.Node.Count && graph.Node[following].Input.Count > 0 && previous.Output.Count > 0 && graph.Node[following].Input[0] == previous.Output[0])
            {
                return next is not null && next.index == following ? next : next = new ProtoNode<T>(graph, following, constants, source) { IsView = true };
            }

            return null;
        }
    }

    /// <summary>The node folded in by <see cref="ConsumeNext"/>, as the importer saw it.</summary>
    public ProtoNode<T>? ConsumedNode => consumedNode;

    /// <summary>Whether this is a <see cref="Next"/> view, which cannot fold nodes in.</summary>
    private bool IsView { get; init; }

    public override bool HasAttribute(string name) => Find(name) is not null;

    public override double GetFloat(string name, double fallback) =>
        Find(name, AttributeProto.Types.AttributeType.Float) is { } a
            ? double.Parse(a.F.ToString("R", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture)
            : fallback;

    public override long GetInt(string name, long fallback) => Find(name, AttributeProto.Types.AttributeType.Int) is { } a ? a.I : fallback;

    public override IReadOnlyList<long> GetInts(string name, IReadOnlyList<long> fallback) =>
        Find(name, AttributeProto.Types.AttributeType.Ints) is { } a ? [.. a.Ints] : fallback;

    public override string GetText(string name, string fallback)
    {
        if (Find(name, AttributeProto.Types.AttributeType.String) is not { } a)
        {
            return fallback;
        }

        try
        {
            return StrictUtf8.GetString(a.S.Span);
        }
        catch (DecoderFallbackException)
        {
            throw Error($"attribute '{name}' is not valid UTF-8");
        }
    }

    /// <summary>Whether input <paramref name="index"/> is present; asking counts as reading it (see <see cref="CheckEveryInputRead"/>).</summary>
    public override bool HasInput(int index)
    {
        Read(index);
        return index < node.Input.Count && node.Input[index].Length > 0;
    }

    /// <summary>
    /// Throws unless the layer's importer read (or asked about) every input the node has: an input it never looks at
    /// (a second input to Tanh, a fourth to Gemm) would otherwise change nothing, silently, where ONNX Runtime refuses it.
    /// </summary>
    public void CheckEveryInputRead()
    {
        for (int i = inputsRead; i < node.Input.Count; i++)
        {
            if (node.Input[i].Length > 0)
            {
                throw Error($"input {i} ('{node.Input[i]}') is not one that {node.OpType} takes here (the import reads {inputsRead})");
            }
        }
    }

    /// <summary>
    /// Throws unless the layer's importer read (or asked about) every attribute the node has: ONNX Runtime refuses an
    /// attribute the operator does not define (a Sigmoid with an <c>alpha</c>), and ignoring it would import a node that
    /// means something else.
    /// </summary>
    public void CheckEveryAttributeRead()
    {
        foreach (AttributeProto attribute in node.Attribute)
        {
            if (!attributesRead.Contains(attribute.Name))
            {
                throw Error($"attribute '{attribute.Name}' is not one that {node.OpType} has here");
            }
        }
    }

    public override (double[] Values, long[] Dimensions) GetConstant(int index)
    {
        Read(index);
        if (index >= node.Input.Count || !constants.TryGetValue(node.Input[index], out TensorProto? tensor))
        {
            throw Error($"input {index} must be an initializer or Constant (trained weights), not a computed value");
        }

        long[] dims = [.. tensor.Dims];
        long count = dims.Aggregate(1L, (a, d) => a < 0 || d < 0 ? -1 : checked(a * d));
        if (count is < 0 or > int.MaxValue / 8)
        {
            throw Error($"initializer '{tensor.Name}' has an invalid shape [{string.Join(", ", dims)}]");
        }

        double[] values = (TensorProto.Types.DataType)tensor.DataType switch
        {
            TensorProto.Types.DataType.Float when tensor.RawData.Length > 0 => Raw(tensor, count, 4, b => BinaryPrimitives.ReadSingleLittleEndian(b)),
            TensorProto.Types.DataType.Float => [.. tensor.FloatData.Select(v => (double)v)],
            TensorProto.Types.DataType.Double when tensor.RawData.Length > 0 => Raw(tensor, count, 8, BinaryPrimitives.ReadDoubleLittleEndian),
            TensorProto.Types.DataType.Double => [.. tensor.DoubleData],
            _ => throw Error($"initializer '{tensor.Name}' has data type {tensor.DataType}; only float and double are supported"),
        };
        if (values.Length != count)
        {
            throw Error($"initializer '{tensor.Name}' holds {values.Length} values but its shape [{string.Join(", ", dims)}] needs {count}");
        }

        // Finite in double is not enough: 1e300 would become ∞ in a float network.
        int bad = Array.FindIndex(values, v => !T.IsFinite(T.CreateSaturating(v)));
        return bad < 0
            ? (values, dims)
            : throw Error($"initializer '{tensor.Name}' holds {values[bad]} at index {bad}, which is not a finite {typeof(T).Name}; weights must be finite");
    }

    public override void ConsumeNext()
    {
        if (IsView)
        {
            throw new InvalidOperationException("ConsumeNext is called on the node being imported, not on its Next view.");
        }

        consumedNode = (ProtoNode<T>?)Next ?? throw Error("there is no following node to fold in");
        Consumed++;
    }

    public override ModelFormatException Error(string message) =>
        new($"{source}: node {index} ({node.OpType} '{node.Name}'): {message}.");

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private void Read(int input) => inputsRead = Math.Max(inputsRead, input + 1);

    private AttributeProto? Find(string name)
    {
        attributesRead.Add(name);
        return node.Attribute.FirstOrDefault(a => a.Name == name);
    }

    /// <summary>
    /// The attribute, which must have the type the ONNX specification gives it (reading an INT's F would give 0) and hold
    /// nothing in the fields of other types (ONNX Runtime refuses "type field and data field mismatch").
    /// </summary>
    private AttributeProto? Find(string name, AttributeProto.Types.AttributeType type)
    {
        AttributeProto? attribute = Find(name);
        if (attribute is null)
        {
            return null;
        }

        if (attribute.Type != type)
        {
            throw Error($"attribute '{name}' has type {attribute.Type}; it must be {type}");
        }

        bool otherData =
            (type != AttributeProto.Types.AttributeType.Float && BitConverter.SingleToInt32Bits(attribute.F) != 0)
            || (type != AttributeProto.Types.AttributeType.Int && attribute.I != 0)
            || (type != AttributeProto.Types.AttributeType.String && !attribute.S.IsEmpty)
            || attribute.T is not null || attribute.G is not null || attribute.SparseTensor is not null || attribute.Tp is not null
            || attribute.Floats.Count > 0 || (type != AttributeProto.Types.AttributeType.Ints && attribute.Ints.Count > 0) || attribute.Strings.Count > 0 || attribute.Tensors.Count > 0
            || attribute.Graphs.Count > 0 || attribute.SparseTensors.Count > 0 || attribute.TypeProtos.Count > 0;
        return otherData ? throw Error($"attribute '{name}' of type {type} also holds data of another type") : attribute;
    }

    private static double[] Raw(TensorProto tensor, long count, int width, Func<ReadOnlySpan<byte>, double> read)
    {
        ReadOnlySpan<byte> bytes = tensor.RawData.Span;
        if (bytes.Length != count * width)
        {
            return [];
        }

        var values = new double[count];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = read(bytes.Slice(i * width, width));
        }

        return values;
    }
}
