namespace NeuralNet.Layers;

/// <summary>
/// How a layer appears in an exported ONNX graph: one operator node with attributes and constant inputs
/// (initializers) after the data input (<see cref="Operator"/>), an ordered list of nodes (<see cref="Graph"/>), or an
/// explicit statement that it has no ONNX form.
/// </summary>
/// <remarks>
/// <para>
/// A graph form names its values locally: <see cref="LayerInput"/> is the data flowing in, initializers and node
/// outputs have the names the layer gives them (the exporter prefixes them with the node name, so two layers never
/// clash), and the last node's output is the layer's output. Each node reads only values defined before it.
/// </para>
/// <para>
/// The data tensor flowing between nodes is <c>[batch, …the sample's shape]</c>; our column-major
/// <c>features × batch</c> matrices are exactly that memory, so nodes see PyTorch's layout. Initializer values are
/// written as float32; values that are not finite in float32 make the export fail rather than write a file that
/// cannot be imported.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// public OnnxForm ToOnnx() =&gt; OnnxForm.Operator("LeakyRelu").WithAttribute("alpha", Slope);
///
/// // Two nodes: ids cast to int64, then rows of the weight gathered.
/// public OnnxForm ToOnnx() =&gt; OnnxForm.Graph()
///     .WithInitializer("weight", [Vocabulary, Dimension], weights)
///     .WithNode("Cast", "ids", OnnxForm.LayerInput).WithAttribute("to", 7L)
///     .WithNode("Gather", "embedded", "weight", "ids");
/// </code>
/// </example>
public sealed class OnnxForm
{
    /// <summary>The local name of the layer's data input in the nodes of a <see cref="Graph"/> form.</summary>
    public const string LayerInput = "input";

    private readonly List<KeyValuePair<string, LayerSetting>> attributes = [];
    private readonly List<OnnxInitializer> initializers = [];
    private readonly List<OnnxFormNode> nodes = [];
    private readonly bool isGraph;

    private OnnxForm(string? operatorType, int minimumOpset, string? reason, bool isGraph = false)
    {
        OperatorType = operatorType;
        MinimumOpset = minimumOpset;
        NotSupportedReason = reason;
        this.isGraph = isGraph;
    }

    /// <summary>Whether the layer can be exported.</summary>
    public bool IsSupported => NotSupportedReason is null;

    /// <summary>
    /// The ONNX operator of a single-node form, e.g. <c>"Gemm"</c>; <see langword="null"/> when not supported or for a
    /// <see cref="Graph"/> form (see <see cref="Nodes"/>).
    /// </summary>
    public string? OperatorType { get; }

    /// <summary>
    /// The nodes in order. A single-node form gives one node reading <see cref="LayerInput"/> and then its initializers;
    /// a form without ONNX support gives none.
    /// </summary>
    public IReadOnlyList<OnnxFormNode> Nodes => OperatorType is null
        ? nodes
        : [new OnnxFormNode(OperatorType, [LayerInput, .. initializers.Select(i => i.Name)], "output", attributes)];

    /// <summary>The lowest opset of the default domain that has the operator in this form.</summary>
    public int MinimumOpset { get; }

    /// <summary>Why the layer has no ONNX form, when it has none.</summary>
    public string? NotSupportedReason { get; }

    /// <summary>
    /// The single node's attributes: numbers become ONNX floats, integers ints, texts strings, lists of integers ints
    /// (empty for a <see cref="Graph"/> form, whose nodes carry their own).
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, LayerSetting>> Attributes => attributes;

    /// <summary>The constant inputs: of a single-node form those that follow the data input, in order; of a graph form all its constants.</summary>
    public IReadOnlyList<OnnxInitializer> Initializers => initializers;

    /// <summary>A node of operator <paramref name="operatorType"/>.</summary>
    /// <param name="operatorType">The ONNX operator.</param>
    /// <param name="minimumOpset">The lowest default-domain opset with the operator (13 is what the exporter uses at least).</param>
    public static OnnxForm Operator(string operatorType, int minimumOpset = 13)
    {
        ArgumentException.ThrowIfNullOrEmpty(operatorType);
        return new OnnxForm(operatorType, minimumOpset, null);
    }

    /// <summary>
    /// An empty list of nodes, to be filled with <see cref="WithInitializer(string, long[], double[])"/> and
    /// <see cref="WithNode"/>; attributes added with <c>WithAttribute</c> go to the node added last.
    /// </summary>
    /// <param name="minimumOpset">The lowest default-domain opset that has every operator of the nodes in their form (at least 13 is used).</param>
    public static OnnxForm Graph(int minimumOpset = 13) => new(null, minimumOpset, null, isGraph: true);

    /// <summary>States that the layer has no ONNX form; exporting a network with it throws <see cref="NotSupportedException"/> with the reason.</summary>
    /// <param name="reason">Why, for the message.</param>
    public static OnnxForm NotSupported(string reason)
    {
        ArgumentException.ThrowIfNullOrEmpty(reason);
        return new OnnxForm(null, 0, reason);
    }

    /// <summary>Appends a node to a <see cref="Graph"/> form.</summary>
    /// <param name="operatorType">The ONNX operator.</param>
    /// <param name="output">The local name of its output: new in this form, not <see cref="LayerInput"/>.</param>
    /// <param name="inputs">Local names: <see cref="LayerInput"/>, an initializer, an earlier node's output, or empty to skip an optional input.</param>
    /// <exception cref="InvalidOperationException">The form is not a graph form.</exception>
    /// <exception cref="ArgumentException">An input is not defined yet, or the output name is taken.</exception>
    public OnnxForm WithNode(string operatorType, string output, params string[] inputs)
    {
        ArgumentException.ThrowIfNullOrEmpty(operatorType);
        ArgumentException.ThrowIfNullOrEmpty(output);
        ArgumentNullException.ThrowIfNull(inputs);
        if (!isGraph)
        {
            throw new InvalidOperationException("Nodes are added to a form made by OnnxForm.Graph; a single-operator form has its one node.");
        }

        foreach (string input in inputs)
        {
            if (input is null || (input.Length > 0 && !IsDefined(input)))
            {
                throw new ArgumentException($"{operatorType} node: the input '{input}' is neither the layer input, an initializer nor an earlier node's output.", nameof(inputs));
            }
        }

        if (IsDefined(output))
        {
            throw new ArgumentException($"{operatorType} node: the output name '{output}' is already used in this form.", nameof(output));
        }

        nodes.Add(new OnnxFormNode(operatorType, [.. inputs], output, []));
        return this;
    }

    /// <summary>Adds a float attribute.</summary>
    /// <param name="name">The attribute name.</param>
    /// <param name="value">Its value (written as float32).</param>
    public OnnxForm WithAttribute(string name, double value) => Add(name, LayerSetting.FromNumber(value));

    /// <summary>Adds an int attribute.</summary>
    /// <param name="name">The attribute name.</param>
    /// <param name="value">Its value.</param>
    public OnnxForm WithAttribute(string name, long value) => Add(name, LayerSetting.FromInteger(value));

    /// <summary>Adds a string attribute.</summary>
    /// <param name="name">The attribute name.</param>
    /// <param name="value">Its value.</param>
    public OnnxForm WithAttribute(string name, string value) => Add(name, LayerSetting.FromText(value));

    /// <summary>Adds an ints attribute.</summary>
    /// <param name="name">The attribute name.</param>
    /// <param name="values">Its values.</param>
    public OnnxForm WithAttribute(string name, ReadOnlySpan<long> values) => Add(name, LayerSetting.FromIntegers(values));

    /// <summary>
    /// Adds a float constant (initializer): in a single-node form the next input after the data input and any added
    /// before; in a <see cref="Graph"/> form a value its nodes can read by <paramref name="name"/>.
    /// </summary>
    /// <param name="name">A suffix for the initializer's name, e.g. <c>"weight"</c>; the exporter prefixes the node name.</param>
    /// <param name="dimensions">The tensor's dimensions (row-major).</param>
    /// <param name="values">The values in row-major order of <paramref name="dimensions"/>.</param>
    /// <exception cref="ArgumentException">The values do not fill the dimensions.</exception>
    public OnnxForm WithInitializer(string name, long[] dimensions, double[] values) =>
        Add(new OnnxInitializer(name, dimensions, values));

    /// <summary>Adds an int64 constant (indices, shapes, Slice bounds); in a single-node form it is the next input.</summary>
    /// <param name="name">A suffix for the initializer's name; the exporter prefixes the node name.</param>
    /// <param name="dimensions">The tensor's dimensions (row-major; none for a scalar).</param>
    /// <param name="values">The values in row-major order of <paramref name="dimensions"/>.</param>
    /// <exception cref="ArgumentException">The values do not fill the dimensions, or the name is taken.</exception>
    public OnnxForm WithIntegerInitializer(string name, long[] dimensions, long[] values) =>
        Add(new OnnxInitializer(name, dimensions, values));

    /// <summary>
    /// Appends another layer's form to this <see cref="Graph"/> form, reading <paramref name="input"/> as its layer
    /// input: its initializers and node outputs get <paramref name="prefix"/> in front of their names.
    /// </summary>
    /// <returns>The local name of the embedded form's output.</returns>
    internal string Embed(OnnxForm inner, string prefix, string input)
    {
        string Local(string name) => name.Length == 0 ? name : name == LayerInput ? input : prefix + name;
        foreach (OnnxInitializer initializer in inner.Initializers)
        {
            Add(initializer.IsInteger
                ? new OnnxInitializer(prefix + initializer.Name, [.. initializer.Dimensions], [.. initializer.IntegerValues])
                : new OnnxInitializer(prefix + initializer.Name, [.. initializer.Dimensions], [.. initializer.Values]));
        }

        foreach (OnnxFormNode node in inner.Nodes)
        {
            WithNode(node.OperatorType, Local(node.Output), [.. node.Inputs.Select(Local)]);
            foreach (KeyValuePair<string, LayerSetting> attribute in node.Attributes)
            {
                nodes[^1].AddAttribute(attribute.Key, attribute.Value);
            }
        }

        return Local(inner.Nodes[^1].Output);
    }

    private OnnxForm Add(OnnxInitializer initializer)
    {
        ThrowIfNotSupported();
        if (isGraph && IsDefined(initializer.Name))
        {
            throw new ArgumentException($"The name '{initializer.Name}' is already used in this form.", nameof(initializer));
        }

        initializers.Add(initializer);
        return this;
    }

    private OnnxForm Add(string name, LayerSetting value)
    {
        ThrowIfNotSupported();
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (isGraph)
        {
            OnnxFormNode last = nodes.Count > 0 ? nodes[^1] : throw new InvalidOperationException($"Attribute '{name}': add a node with WithNode before its attributes.");
            last.AddAttribute(name, value);
        }
        else
        {
            attributes.Add(new KeyValuePair<string, LayerSetting>(name, value));
        }

        return this;
    }

    private bool IsDefined(string name) =>
        name == LayerInput || initializers.Exists(i => i.Name == name) || nodes.Exists(n => n.Output == name);

    private void ThrowIfNotSupported()
    {
        if (!IsSupported)
        {
            throw new InvalidOperationException("A layer without an ONNX form has no attributes or initializers.");
        }
    }
}
