using System.Numerics;
using System.Numerics.Tensors;

namespace NeuralNet.Layers;

/// <summary>Hyperbolic tangent, <c>y = tanh(x)</c>; derivative <c>1 − y²</c>.</summary>
/// <typeparam name="T">Element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
[LayerKind("tanh")]
public sealed class Tanh<T> : ElementwiseActivation<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc />
    public override string Name => "Tanh";

    /// <inheritdoc />
    public override LayerConfig GetConfig() => new("tanh");

    /// <summary>ONNX <c>Tanh</c>.</summary>
    /// <inheritdoc />
    public override OnnxForm ToOnnx() => OnnxForm.Operator("Tanh");

    /// <summary>Builds the layer from its configuration (no settings).</summary>
    /// <param name="config">The configuration.</param>
    internal static Tanh<T> FromConfig(LayerConfig config) => new();

    /// <summary>Imports ONNX <c>Tanh</c>.</summary>
    [OnnxImport("Tanh")]
    internal static Tanh<T> FromOnnx(OnnxNode node) => new();

    /// <inheritdoc />
    protected override void Activate(ReadOnlySpan<T> x, Span<T> y) => TensorPrimitives.Tanh(x, y);

    /// <inheritdoc />
    protected override void Differentiate(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx)
    {
        TensorPrimitives.Multiply(y, y, dx);
        TensorPrimitives.Subtract(T.One, dx, dx);
        TensorPrimitives.Multiply(dx, dy, dx);
    }
}
