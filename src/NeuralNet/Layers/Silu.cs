using System.Numerics;

namespace NeuralNet.Layers;

/// <summary>
/// Sigmoid linear unit (SiLU, also called swish), <c>y = x·σ(x)</c>, as PyTorch's <c>nn.Silu</c>; derivative
/// <c>σ(x)·(1 + x·(1 − σ(x)))</c>.
/// </summary>
/// <remarks>
/// Computed in double whatever <typeparamref name="T"/> is, with <c>σ(x)</c> as <c>1/(1 + e^(−x))</c> for <c>x ≥ 0</c>
/// and <c>eˣ/(1 + eˣ)</c> below, so neither branch overflows and a float result is correctly rounded even in the
/// negative tail, where <c>eˣ</c> alone would already be a float denormal.
/// ONNX has no single SiLU operator (exporters write <c>Sigmoid</c> then <c>Mul</c>), so this layer declares no ONNX form.
/// </remarks>
/// <typeparam name="T">Element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
[LayerKind("silu")]
public sealed class Silu<T> : ElementwiseActivation<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc />
    public override string Name => "SiLU";

    /// <inheritdoc />
    public override LayerConfig GetConfig() => new("silu");

    /// <summary>None: ONNX has no single-node SiLU.</summary>
    /// <inheritdoc />
    public override OnnxForm ToOnnx() => OnnxForm.NotSupported("ONNX has no single SiLU operator");

    /// <summary>Builds the layer from its configuration (no settings).</summary>
    /// <param name="config">The configuration.</param>
    internal static Silu<T> FromConfig(LayerConfig config) => new();

    /// <inheritdoc />
    protected override void Activate(ReadOnlySpan<T> x, Span<T> y)
    {
        for (int i = 0; i < x.Length; i++)
        {
            double v = double.CreateChecked(x[i]);
            y[i] = T.CreateChecked(v * Sigmoid(v));
        }
    }

    /// <inheritdoc />
    protected override void Differentiate(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx)
    {
        for (int i = 0; i < x.Length; i++)
        {
            double v = double.CreateChecked(x[i]);
            double s = Sigmoid(v);
            dx[i] = dy[i] * T.CreateChecked(s * (1 + (v * (1 - s))));
        }
    }

    private static double Sigmoid(double v)
    {
        if (v >= 0)
        {
            return 1 / (1 + Math.Exp(-v));
        }

        double e = Math.Exp(v);
        return e / (1 + e);
    }
}
