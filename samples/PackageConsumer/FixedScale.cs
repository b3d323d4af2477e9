using System.Numerics;
using NeuralNet.Layers;

/// <summary>
/// A layer of this app's own, not the library's: <c>y = factor · x</c>. Its kind attribute, its <c>FromConfig</c> and
/// its <c>GetConfig</c> are all the library needs to save, load, checkpoint and export it once it is registered
/// (<c>LayerRegistry.Register(typeof(FixedScale&lt;&gt;))</c>).
/// </summary>
[LayerKind("app_fixed_scale")]
public sealed class FixedScale<T> : ElementwiseActivation<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T factor;

    public FixedScale(double factor)
    {
        if (!double.IsFinite(factor))
        {
            throw new ArgumentOutOfRangeException(nameof(factor), factor, "FixedScale: the factor must be finite.");
        }

        Factor = factor;
        this.factor = T.CreateChecked(factor);
    }

    public double Factor { get; }

    public override string Name => $"FixedScale({Factor})";

    public static FixedScale<T> FromConfig(LayerConfig config) => new(config.GetNumber("factor"));

    public override LayerConfig GetConfig() => new LayerConfig("app_fixed_scale").With("factor", Factor);

    public override OnnxForm ToOnnx() => OnnxForm.NotSupported("this sample layer has no ONNX form");

    protected override void Activate(ReadOnlySpan<T> x, Span<T> y)
    {
        for (int i = 0; i < x.Length; i++)
        {
            y[i] = factor * x[i];
        }
    }

    protected override void Differentiate(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx)
    {
        for (int i = 0; i < x.Length; i++)
        {
            dx[i] = factor * dy[i];
        }
    }
}
