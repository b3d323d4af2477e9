using System.Numerics;
using System.Numerics.Tensors;

using NeuralNet.Compute;

namespace NeuralNet.Layers;

/// <summary>Rectified linear unit, <c>y = max(x, 0)</c>; derivative 1 for <c>x &gt; 0</c>, else 0.</summary>
/// <typeparam name="T">Element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
[LayerKind("relu")]
public sealed class Relu<T> : ElementwiseActivation<T>, IFusableActivation
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc />
    public override string Name => "ReLU";

    /// <inheritdoc />
    FusedActivation IFusableActivation.Fusion => FusedActivation.Relu;

    /// <inheritdoc />
    public override LayerConfig GetConfig() => new("relu");

    /// <summary>ONNX <c>Relu</c>.</summary>
    /// <inheritdoc />
    public override OnnxForm ToOnnx() => OnnxForm.Operator("Relu");

    /// <summary>Builds the layer from its configuration (no settings).</summary>
    /// <param name="config">The configuration.</param>
    internal static Relu<T> FromConfig(LayerConfig config) => new();

    /// <summary>Imports ONNX <c>Relu</c>.</summary>
    [OnnxImport("Relu")]
    internal static Relu<T> FromOnnx(OnnxNode node) => new();

    /// <inheritdoc />
    protected override void Activate(ReadOnlySpan<T> x, Span<T> y) => TensorPrimitives.Max(x, T.Zero, y);

    /// <inheritdoc />
    protected override void Differentiate(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx) =>
        VectorLoops.SelectWherePositive(x, dy, T.Zero, dx);
}
