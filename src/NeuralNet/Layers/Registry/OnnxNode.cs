using NeuralNet.Serialization;

namespace NeuralNet.Layers;

/// <summary>
/// A node of an ONNX graph being imported, as a layer's <see cref="OnnxImportAttribute"/> method sees it: the operator,
/// its attributes and its constant inputs, and the node after it in the chain.
/// </summary>
public abstract class OnnxNode
{
    /// <summary>The ONNX operator, e.g. <c>"Gemm"</c>.</summary>
    public abstract string OperatorType { get; }

    /// <summary>The number of inputs (the data input is input 0).</summary>
    public abstract int InputCount { get; }

    /// <summary>The number of outputs the graph uses (an optional output skipped with an empty name does not count).</summary>
    public abstract int OutputCount { get; }

    /// <summary>
    /// The shape of one sample flowing into the node's data input (input 0), without the batch dimension, e.g.
    /// <c>(3, 32, 32)</c> for an <c>[N, 3, 32, 32]</c> tensor; <see langword="null"/> when unknown. The importer knows it
    /// when the graph input declares every dimension after the batch as a number, and follows it through the layers built
    /// so far; it is <see langword="null"/> for <see cref="Next"/>, whose input is the output of a layer not built yet.
    /// An operator that maps to different layers by rank (BatchNormalization on vectors or on images) reads it.
    /// </summary>
    public abstract Shape? InputShape { get; }

    /// <summary>
    /// The node that reads this node's output next in the chain, or <see langword="null"/> at the end of the graph.
    /// An importer that folds it into its layer (MatMul followed by Add) calls <see cref="ConsumeNext"/>.
    /// </summary>
    public abstract OnnxNode? Next { get; }

    /// <summary>
    /// Whether the node has the attribute. An importer must ask about (or read) every attribute it accepts: a node with
    /// an attribute the importer never looked at is refused, as ONNX Runtime refuses an attribute the operator lacks.
    /// </summary>
    /// <param name="name">The attribute name.</param>
    public abstract bool HasAttribute(string name);

    /// <summary>
    /// A float attribute as the double it was meant to be: the shortest decimal that rounds to the stored float (an
    /// exported slope of 0.137 comes back as 0.137). An attribute of another type than FLOAT is a format error.
    /// </summary>
    /// <param name="name">The attribute name.</param>
    /// <param name="fallback">The value when the attribute is absent (ONNX's default).</param>
    public abstract double GetFloat(string name, double fallback);

    /// <summary>An int attribute (an attribute of another type than INT is a format error).</summary>
    /// <param name="name">The attribute name.</param>
    /// <param name="fallback">The value when the attribute is absent.</param>
    public abstract long GetInt(string name, long fallback);

    /// <summary>An ints attribute (a kernel shape, strides, pads).</summary>
    /// <param name="name">The attribute name.</param>
    /// <param name="fallback">The values when the attribute is absent.</param>
    public abstract IReadOnlyList<long> GetInts(string name, IReadOnlyList<long> fallback);

    /// <summary>A string attribute (an attribute of another type than STRING, or not UTF-8, is a format error).</summary>
    /// <param name="name">The attribute name.</param>
    /// <param name="fallback">The value when the attribute is absent.</param>
    public abstract string GetText(string name, string fallback);

    /// <summary>
    /// Whether input <paramref name="index"/> is present (ONNX marks a skipped optional input with an empty name). An
    /// importer must ask about (or read, with <see cref="GetConstant"/>) every input it accepts: a node with an input the
    /// importer never looked at is refused.
    /// </summary>
    /// <param name="index">The input index.</param>
    public abstract bool HasInput(int index);

    /// <summary>
    /// The values of a constant input (an initializer or a Constant node), checked finite in the element type the
    /// network is imported into.
    /// </summary>
    /// <param name="index">The input index (1 for a weight after the data input).</param>
    /// <returns>The values in row-major order and the tensor's dimensions.</returns>
    /// <exception cref="ModelFormatException">The input is missing, not constant, of an unsupported type, or holds values that are not finite.</exception>
    public abstract (double[] Values, long[] Dimensions) GetConstant(int index);

    /// <summary>Folds <see cref="Next"/> into the layer being built: the importer skips it.</summary>
    public abstract void ConsumeNext();

    /// <summary>A <see cref="ModelFormatException"/> naming the file and this node.</summary>
    /// <param name="message">What is wrong.</param>
    public abstract ModelFormatException Error(string message);
}
