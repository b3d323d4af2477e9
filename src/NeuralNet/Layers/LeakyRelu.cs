using System.Globalization;
using System.Numerics;

using NeuralNet.Compute;

namespace NeuralNet.Layers;

/// <summary>Leaky rectified linear unit, <c>y = x</c> for <c>x &gt; 0</c>, else <c>slope·x</c>.</summary>
/// <typeparam name="T">Element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
[LayerKind("leaky_relu")]
public sealed class LeakyRelu<T> : ElementwiseActivation<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T slope;

    /// <summary>Creates a leaky ReLU.</summary>
    /// <param name="slope">Slope for negative inputs (PyTorch's <c>negative_slope</c>, default 0.01); finite, also as a <typeparamref name="T"/>.</param>
    public LeakyRelu(double slope = 0.01)
    {
        if (!double.IsFinite(slope) || !T.IsFinite(T.CreateSaturating(slope)))
        {
            throw new ArgumentOutOfRangeException(nameof(slope), slope, $"LeakyReLU: the slope must be finite as a {typeof(T).Name}, got {slope}.");
        }

        Slope = slope;
        this.slope = T.CreateChecked(slope);
    }

    /// <summary>The slope applied to negative inputs.</summary>
    public double Slope { get; }

    /// <inheritdoc />
    public override string Name => string.Create(CultureInfo.InvariantCulture, $"LeakyReLU(slope {Slope})");

    /// <inheritdoc />
    public override LayerConfig GetConfig() => new LayerConfig("leaky_relu").With("slope", Slope);

    /// <summary>ONNX <c>LeakyRelu(alpha = slope)</c>.</summary>
    /// <inheritdoc />
    public override OnnxForm ToOnnx() => OnnxForm.Operator("LeakyRelu").WithAttribute("alpha", Slope);

    /// <summary>Builds the layer from its configuration (<c>slope</c>).</summary>
    /// <param name="config">The configuration.</param>
    internal static LeakyRelu<T> FromConfig(LayerConfig config) => new(config.GetNumber("slope"));

    /// <summary>Imports ONNX <c>LeakyRelu</c> (alpha defaults to 0.01, as in ONNX).</summary>
    [OnnxImport("LeakyRelu")]
    internal static LeakyRelu<T> FromOnnx(OnnxNode node) => new(node.GetFloat("alpha", 0.01));

    /// <inheritdoc />
    protected override void Activate(ReadOnlySpan<T> x, Span<T> y) => VectorLoops.ScaleWhereNotPositive(x, x, slope, y);

    /// <inheritdoc />
    protected override void Differentiate(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx) =>
        VectorLoops.ScaleWhereNotPositive(x, dy, slope, dx);
}
