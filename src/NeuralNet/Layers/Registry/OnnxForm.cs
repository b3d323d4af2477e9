namespace NeuralNet.Layers;

/// <summary>
/// How a layer appears in an exported ONNX graph: one operator node with attributes and constant inputs
/// (initializers) after the data input, or an explicit statement that it has no ONNX form.
/// </summary>
/// <remarks>
/// The data tensor flowing between nodes is <c>[batch, …the sample's shape]</c>; our column-major
/// <c>features × batch</c> matrices are exactly that memory, so nodes see PyTorch's layout. Initializer values are
/// written as float32; values that are not finite in float32 make the export fail rather than write a file that
/// cannot be imported.
/// </remarks>
/// <example>
/// <code>
/// public OnnxForm ToOnnx() =&gt; OnnxForm.Operator("LeakyRelu").WithAttribute("alpha", Slope);
/// </code>
/// </example>
public sealed class OnnxForm
{
    private readonly List<KeyValuePair<string, LayerSetting>> attributes = [];
    private readonly List<OnnxInitializer> initializers = [];

    private OnnxForm(string? operatorType, int minimumOpset, string? reason)
    {
        OperatorType = operatorType;
        MinimumOpset = minimumOpset;
        NotSupportedReason = reason;
    }

    /// <summary>Whether the layer can be exported.</summary>
    public bool IsSupported => OperatorType is not null;

    /// <summary>The ONNX operator, e.g. <c>"Gemm"</c>; <see langword="null"/> when not supported.</summary>
    public string? OperatorType { get; }

    /// <summary>The lowest opset of the default domain that has the operator in this form.</summary>
    public int MinimumOpset { get; }

    /// <summary>Why the layer has no ONNX form, when it has none.</summary>
    public string? NotSupportedReason { get; }

    /// <summary>The node's attributes: numbers become ONNX floats, integers ints, texts strings, lists of integers ints.</summary>
    public IReadOnlyList<KeyValuePair<string, LayerSetting>> Attributes => attributes;

    /// <summary>The constant inputs that follow the data input, in order.</summary>
    public IReadOnlyList<OnnxInitializer> Initializers => initializers;

    /// <summary>A node of operator <paramref name="operatorType"/>.</summary>
    /// <param name="operatorType">The ONNX operator.</param>
    /// <param name="minimumOpset">The lowest default-domain opset with the operator (13 is what the exporter uses at least).</param>
    public static OnnxForm Operator(string operatorType, int minimumOpset = 13)
    {
        ArgumentException.ThrowIfNullOrEmpty(operatorType);
        return new OnnxForm(operatorType, minimumOpset, null);
    }

    /// <summary>States that the layer has no ONNX form; exporting a network with it throws <see cref="NotSupportedException"/> with the reason.</summary>
    /// <param name="reason">Why, for the message.</param>
    public static OnnxForm NotSupported(string reason)
    {
        ArgumentException.ThrowIfNullOrEmpty(reason);
        return new OnnxForm(null, 0, reason);
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

    /// <summary>Adds a constant input (initializer) after the data input and any added before.</summary>
    /// <param name="name">A suffix for the initializer's name, e.g. <c>"weight"</c>; the exporter prefixes the node name.</param>
    /// <param name="dimensions">The tensor's dimensions (row-major).</param>
    /// <param name="values">The values in row-major order of <paramref name="dimensions"/>.</param>
    /// <exception cref="ArgumentException">The values do not fill the dimensions.</exception>
    public OnnxForm WithInitializer(string name, long[] dimensions, double[] values)
    {
        ThrowIfNotSupported();
        initializers.Add(new OnnxInitializer(name, dimensions, values));
        return this;
    }

    private OnnxForm Add(string name, LayerSetting value)
    {
        ThrowIfNotSupported();
        ArgumentException.ThrowIfNullOrEmpty(name);
        attributes.Add(new KeyValuePair<string, LayerSetting>(name, value));
        return this;
    }

    private void ThrowIfNotSupported()
    {
        if (!IsSupported)
        {
            throw new InvalidOperationException("A layer without an ONNX form has no attributes or initializers.");
        }
    }
}
