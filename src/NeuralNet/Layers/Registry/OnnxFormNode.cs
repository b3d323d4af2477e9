namespace NeuralNet.Layers;

/// <summary>
/// One node of an exported layer's <see cref="OnnxForm"/>: an operator, the names it reads and writes, and its
/// attributes. Names are local to the layer: <see cref="OnnxForm.LayerInput"/> is the layer's data input, other inputs
/// are the form's initializers or earlier nodes' outputs, and the last node's output is the layer's output.
/// </summary>
public sealed class OnnxFormNode
{
    private readonly List<string> inputs;
    private readonly List<KeyValuePair<string, LayerSetting>> attributes;

    internal OnnxFormNode(string operatorType, List<string> inputs, string output, List<KeyValuePair<string, LayerSetting>> attributes)
    {
        OperatorType = operatorType;
        this.inputs = inputs;
        Output = output;
        this.attributes = attributes;
    }

    /// <summary>The ONNX operator, e.g. <c>"Gather"</c>.</summary>
    public string OperatorType { get; }

    /// <summary>The local names of the inputs, in the operator's order (an empty name skips an optional input).</summary>
    public IReadOnlyList<string> Inputs => inputs;

    /// <summary>The local name of the output.</summary>
    public string Output { get; }

    internal void AddAttribute(string name, LayerSetting value) => attributes.Add(new KeyValuePair<string, LayerSetting>(name, value));

    /// <summary>The attributes: numbers become ONNX floats, integers ints, texts strings, lists of integers ints.</summary>
    public IReadOnlyList<KeyValuePair<string, LayerSetting>> Attributes => attributes;
}
