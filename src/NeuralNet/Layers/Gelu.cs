using System.Numerics;
using MathNet.Numerics;
using NeuralNet.Compute;

namespace NeuralNet.Layers;

/// <summary>
/// Gaussian error linear unit (exact form, as PyTorch's default): <c>y = x·Φ(x)</c> with Φ the standard
/// normal CDF; derivative <c>Φ(x) + x·φ(x)</c>.
/// </summary>
/// <remarks>
/// In float, Φ is <c>erfc(−x/√2)/2</c> in double (rounded once at the end), which keeps the lower tail: <c>(1 + erf(x/√2))/2</c>
/// cancels to 0 below x ≈ −8.3, where GELU(−10) ≈ −7.6·10⁻²³ is still a normal float. Double keeps the erf form, as PyTorch.
/// </remarks>
/// <typeparam name="T">Element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
[LayerKind("gelu")]
public sealed class Gelu<T> : ElementwiseActivation<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private static readonly double InverseSqrt2 = 1.0 / Math.Sqrt(2.0);
    private static readonly double InverseSqrt2Pi = 1.0 / Math.Sqrt(2.0 * Math.PI);

    /// <inheritdoc />
    public override string Name => "GELU";

    /// <inheritdoc />
    public override LayerConfig GetConfig() => new("gelu");

    /// <summary>ONNX <c>Gelu</c> (opset 20).</summary>
    /// <inheritdoc />
    public override OnnxForm ToOnnx() => OnnxForm.Operator("Gelu", minimumOpset: 20);

    /// <summary>Builds the layer from its configuration (no settings).</summary>
    /// <param name="config">The configuration.</param>
    internal static Gelu<T> FromConfig(LayerConfig config) => new();

    /// <summary>Imports ONNX <c>Gelu</c> in its exact (erf) form.</summary>
    [OnnxImport("Gelu", MinimumOpset = 20)]
    internal static Gelu<T> FromOnnx(OnnxNode node) =>
        node.GetText("approximate", "none") == "none" ? new() : throw node.Error("only the exact Gelu (approximate = \"none\") has a NeuralNet layer");

    /// <inheritdoc />
    protected override void Activate(ReadOnlySpan<T> x, Span<T> y)
    {
        if (typeof(T) == typeof(float))
        {
            for (int i = 0; i < x.Length; i++)
            {
                double v = double.CreateTruncating(x[i]);
                y[i] = T.CreateTruncating(v * AccurateMath.NormalCdf(v));
            }

            return;
        }

        for (int i = 0; i < x.Length; i++)
        {
            double v = double.CreateChecked(x[i]);
            y[i] = T.CreateChecked(v * Cdf(v));
        }
    }

    /// <inheritdoc />
    protected override void Differentiate(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx)
    {
        if (typeof(T) == typeof(float))
        {
            for (int i = 0; i < x.Length; i++)
            {
                double v = double.CreateTruncating(x[i]);
                double derivative = AccurateMath.NormalCdf(v) + (v * AccurateMath.NormalDensity(v));
                dx[i] = T.CreateTruncating(double.CreateTruncating(dy[i]) * derivative);
            }

            return;
        }

        for (int i = 0; i < x.Length; i++)
        {
            double v = double.CreateChecked(x[i]);
            double derivative = Cdf(v) + (v * InverseSqrt2Pi * Math.Exp(-0.5 * v * v));
            dx[i] = dy[i] * T.CreateChecked(derivative);
        }
    }

    private static double Cdf(double v) => 0.5 * (1.0 + SpecialFunctions.Erf(v * InverseSqrt2));
}
