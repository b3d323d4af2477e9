using System.Numerics;

namespace NeuralNet.Layers;

/// <summary>The identity, <c>y = x</c>: the output activation for regression.</summary>
/// <typeparam name="T">Element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
[LayerKind("identity")]
public sealed class Identity<T> : ElementwiseActivation<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc />
    public override string Name => "Identity";

    /// <inheritdoc />
    public override LayerConfig GetConfig() => new("identity");

    /// <summary>ONNX <c>Identity</c>.</summary>
    /// <inheritdoc />
    public override OnnxForm ToOnnx() => OnnxForm.Operator("Identity");

    /// <summary>Identity at inference in both directions.</summary>
    /// <inheritdoc />
    public override LayerTraits Traits => LayerTraits.Elementwise | LayerTraits.IdentityAtInference;

    /// <summary>Builds the layer from its configuration (no settings).</summary>
    /// <param name="config">The configuration.</param>
    internal static Identity<T> FromConfig(LayerConfig config) => new();

    /// <summary>Imports ONNX <c>Identity</c>.</summary>
    [OnnxImport("Identity")]
    internal static Identity<T> FromOnnx(OnnxNode node) => new();

    /// <inheritdoc />
    protected override void Activate(ReadOnlySpan<T> x, Span<T> y) => x.CopyTo(y);

    /// <inheritdoc />
    protected override void Differentiate(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx) => dy.CopyTo(dx);
}
