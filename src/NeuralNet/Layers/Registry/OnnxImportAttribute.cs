namespace NeuralNet.Layers;

/// <summary>
/// Marks a static method of a registered layer class that builds the layer from an ONNX node:
/// <c>static ILayer&lt;T&gt;? FromOnnx(OnnxNode node)</c> (returning <see langword="null"/> means the node does nothing
/// at inference and adds no layer). <c>Network&lt;T&gt;.ImportOnnx</c> (the NeuralNet.Onnx package) looks operators up through these marks.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true, Inherited = false)]
public sealed class OnnxImportAttribute : Attribute
{
    /// <summary>Marks the method as the importer of <paramref name="operatorType"/>.</summary>
    /// <param name="operatorType">The ONNX operator, e.g. <c>"Relu"</c>.</param>
    public OnnxImportAttribute(string operatorType)
    {
        OperatorType = operatorType;
    }

    /// <summary>The ONNX operator this method imports.</summary>
    public string OperatorType { get; }

    /// <summary>
    /// The lowest default-domain opset that has the operator in the form imported (Gelu: 20); a model importing an
    /// older opset is refused, as ONNX Runtime refuses it. Default 1.
    /// </summary>
    public int MinimumOpset { get; init; } = 1;
}
