using System.Numerics;
using NeuralNet.Compute;

namespace NeuralNet.Layers;

/// <summary>Softplus, <c>y = log(1 + eˣ)</c>, a smooth ReLU; derivative <c>σ(x)</c>.</summary>
/// <remarks>
/// Computed as <c>max(x, 0) + log(1 + e^(−|x|))</c>, which neither overflows nor loses the small tail. In float, the
/// value and the derivative are computed in double and rounded once (<c>1/(1 + e^(−x))</c> in float is 0 below x ≈ −88.7,
/// where σ(x) is still a denormal float).
/// </remarks>
/// <typeparam name="T">Element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
[LayerKind("softplus")]
public sealed class Softplus<T> : ElementwiseActivation<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc />
    public override string Name => "Softplus";

    /// <inheritdoc />
    public override LayerConfig GetConfig() => new("softplus");

    /// <summary>ONNX <c>Softplus</c>.</summary>
    /// <inheritdoc />
    public override OnnxForm ToOnnx() => OnnxForm.Operator("Softplus");

    /// <summary>Builds the layer from its configuration (no settings).</summary>
    /// <param name="config">The configuration.</param>
    internal static Softplus<T> FromConfig(LayerConfig config) => new();

    /// <summary>Imports ONNX <c>Softplus</c>.</summary>
    [OnnxImport("Softplus")]
    internal static Softplus<T> FromOnnx(OnnxNode node) => new();

    /// <inheritdoc />
    protected override void Activate(ReadOnlySpan<T> x, Span<T> y)
    {
        if (typeof(T) == typeof(float))
        {
            for (int i = 0; i < x.Length; i++)
            {
                y[i] = T.CreateTruncating(AccurateMath.Softplus(double.CreateTruncating(x[i])));
            }

            return;
        }

        for (int i = 0; i < x.Length; i++)
        {
            T v = x[i];
            y[i] = T.Max(v, T.Zero) + AccurateMath.LogOnePlus(T.Exp(-T.Abs(v)));
        }
    }

    /// <inheritdoc />
    protected override void Differentiate(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx)
    {
        if (typeof(T) == typeof(float))
        {
            for (int i = 0; i < x.Length; i++)
            {
                dx[i] = T.CreateTruncating(double.CreateTruncating(dy[i]) * AccurateMath.Sigmoid(double.CreateTruncating(x[i])));
            }

            return;
        }

        for (int i = 0; i < x.Length; i++)
        {
            dx[i] = dy[i] / (T.One + T.Exp(-x[i]));
        }
    }
}
