using System.Globalization;
using System.Numerics;
using NeuralNet.Compute;

namespace NeuralNet.Layers;

/// <summary>Exponential linear unit: <c>y = x</c> for <c>x &gt; 0</c>, else <c>α(eˣ − 1)</c>; derivative 1 or <c>y + α</c>.</summary>
/// <remarks>
/// In float, the negative branch and its derivative are computed in double from the input and rounded once, the
/// derivative as <c>α·eˣ</c> (PyTorch's form): <c>y + α</c> in float cancels to 0 once <c>y</c> rounds to <c>−α</c> (x ≲ −17).
/// </remarks>
/// <typeparam name="T">Element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
[LayerKind("elu")]
public sealed class Elu<T> : ElementwiseActivation<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T alpha;

    /// <summary>Creates an ELU.</summary>
    /// <param name="alpha">Scale of the negative branch (default 1); finite and positive, also as a <typeparamref name="T"/>.</param>
    public Elu(double alpha = 1.0)
    {
        T converted = T.CreateSaturating(alpha);
        if (!double.IsFinite(alpha) || alpha <= 0 || !T.IsFinite(converted) || !(converted > T.Zero))
        {
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, $"Elu: alpha must be finite and positive as a {typeof(T).Name}, got {alpha}.");
        }

        Alpha = alpha;
        this.alpha = T.CreateChecked(alpha);
    }

    /// <summary>Scale of the negative branch.</summary>
    public double Alpha { get; }

    /// <inheritdoc />
    public override string Name => string.Create(CultureInfo.InvariantCulture, $"ELU(alpha {Alpha})");

    /// <inheritdoc />
    public override LayerConfig GetConfig() => new LayerConfig("elu").With("alpha", Alpha);

    /// <summary>ONNX <c>Elu(alpha = alpha)</c>.</summary>
    /// <inheritdoc />
    public override OnnxForm ToOnnx() => OnnxForm.Operator("Elu").WithAttribute("alpha", Alpha);

    /// <summary>Builds the layer from its configuration (<c>alpha</c>).</summary>
    /// <param name="config">The configuration.</param>
    internal static Elu<T> FromConfig(LayerConfig config) => new(config.GetNumber("alpha"));

    /// <summary>Imports ONNX <c>Elu</c> (alpha defaults to 1.0, as in ONNX).</summary>
    [OnnxImport("Elu")]
    internal static Elu<T> FromOnnx(OnnxNode node) => new(node.GetFloat("alpha", 1.0));

    /// <inheritdoc />
    protected override void Activate(ReadOnlySpan<T> x, Span<T> y)
    {
        if (typeof(T) == typeof(float))
        {
            for (int i = 0; i < x.Length; i++)
            {
                double v = double.CreateTruncating(x[i]);
                y[i] = v > 0 ? x[i] : T.CreateTruncating(Alpha * AccurateMath.ExpMinusOne(v));
            }

            return;
        }

        for (int i = 0; i < x.Length; i++)
        {
            T v = x[i];
            y[i] = v > T.Zero ? v : alpha * AccurateMath.ExpMinusOne(v);
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
                dx[i] = v > 0 ? dy[i] : T.CreateTruncating(double.CreateTruncating(dy[i]) * Alpha * Math.Exp(v));
            }

            return;
        }

        for (int i = 0; i < x.Length; i++)
        {
            dx[i] = x[i] > T.Zero ? dy[i] : dy[i] * (y[i] + alpha);
        }
    }
}
