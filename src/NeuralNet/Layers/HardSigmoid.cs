using System.Numerics;

namespace NeuralNet.Layers;

/// <summary>
/// Hard sigmoid, <c>y = min(max(x/6 + 1/2, 0), 1)</c>, as PyTorch's <c>nn.Hardsigmoid</c>: 0 below −3, 1 above 3,
/// linear between; derivative <c>1/6</c> strictly inside (−3, 3) and 0 elsewhere (at ±3 too, as PyTorch).
/// </summary>
/// <remarks>ONNX: <c>HardSigmoid(alpha = 1/6, beta = 0.5)</c> (ONNX's defaults, 0.2 and 0.5, are Keras's variant).</remarks>
/// <typeparam name="T">Element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
[LayerKind("hard_sigmoid")]
public sealed class HardSigmoid<T> : ElementwiseActivation<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private static readonly T Three = T.CreateChecked(3);
    private static readonly T Six = T.CreateChecked(6);

    /// <inheritdoc />
    public override string Name => "HardSigmoid";

    /// <inheritdoc />
    public override LayerConfig GetConfig() => new("hard_sigmoid");

    /// <summary>ONNX <c>HardSigmoid(alpha = 1/6, beta = 0.5)</c>.</summary>
    /// <inheritdoc />
    public override OnnxForm ToOnnx() => OnnxForm.Operator("HardSigmoid").WithAttribute("alpha", 1.0 / 6).WithAttribute("beta", 0.5);

    /// <summary>Builds the layer from its configuration (no settings).</summary>
    /// <param name="config">The configuration.</param>
    internal static HardSigmoid<T> FromConfig(LayerConfig config) => new();

    /// <summary>Imports ONNX <c>HardSigmoid</c> with PyTorch's alpha = 1/6 and beta = 0.5 (as float32).</summary>
    [OnnxImport("HardSigmoid")]
    internal static HardSigmoid<T> FromOnnx(OnnxNode node) =>
        (float)node.GetFloat("alpha", 0.2) == (float)(1.0 / 6) && node.GetFloat("beta", 0.5) == 0.5
            ? new()
            : throw node.Error("only HardSigmoid with alpha = 1/6 and beta = 0.5 (PyTorch's) has a NeuralNet layer");

    /// <inheritdoc />
    protected override void Activate(ReadOnlySpan<T> x, Span<T> y)
    {
        for (int i = 0; i < x.Length; i++)
        {
            // PyTorch's form, for the same rounding: relu6(x + 3) / 6.
            y[i] = T.Min(T.Max(x[i] + Three, T.Zero), Six) / Six;
        }
    }

    /// <inheritdoc />
    protected override void Differentiate(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx)
    {
        for (int i = 0; i < x.Length; i++)
        {
            T v = x[i];
            dx[i] = v > -Three && v < Three ? dy[i] / Six : T.Zero;
        }
    }
}
