using System.Numerics;
using System.Numerics.Tensors;
using NeuralNet.Compute;

namespace NeuralNet.Layers;

/// <summary>Logistic sigmoid, <c>y = 1 / (1 + e^(−x))</c>; derivative <c>y(1 − y)</c>.</summary>
/// <remarks>
/// Saturates cleanly to exactly 0 or 1 for large |x| (never NaN). In float, the value and the derivative are computed
/// in double and rounded once, the derivative as <c>σ(x)·σ(−x)</c> from the input: <c>y(1 − y)</c> in float loses every
/// digit once <c>y</c> rounds to 1 (x ≳ 17), where the true derivative is still a normal float.
/// </remarks>
/// <typeparam name="T">Element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
[LayerKind("sigmoid")]
public sealed class Sigmoid<T> : ElementwiseActivation<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc />
    public override string Name => "Sigmoid";

    /// <inheritdoc />
    public override LayerConfig GetConfig() => new("sigmoid");

    /// <summary>ONNX <c>Sigmoid</c>.</summary>
    /// <inheritdoc />
    public override OnnxForm ToOnnx() => OnnxForm.Operator("Sigmoid");

    /// <summary>Builds the layer from its configuration (no settings).</summary>
    /// <param name="config">The configuration.</param>
    internal static Sigmoid<T> FromConfig(LayerConfig config) => new();

    /// <summary>Imports ONNX <c>Sigmoid</c>.</summary>
    [OnnxImport("Sigmoid")]
    internal static Sigmoid<T> FromOnnx(OnnxNode node) => new();

    /// <inheritdoc />
    protected override void Activate(ReadOnlySpan<T> x, Span<T> y)
    {
        if (typeof(T) == typeof(float))
        {
            for (int i = 0; i < x.Length; i++)
            {
                y[i] = T.CreateTruncating(AccurateMath.Sigmoid(double.CreateTruncating(x[i])));
            }

            return;
        }

        // Element by element, as Tanh: the vectorised form depends on the buffer's alignment in the last bit.
        for (int i = 0; i < x.Length; i++)
        {
            y[i] = T.One / (T.One + T.Exp(-x[i]));
        }
    }

    /// <inheritdoc />
    protected override void Differentiate(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx)
    {
        if (typeof(T) == typeof(float))
        {
            for (int i = 0; i < x.Length; i++)
            {
                dx[i] = T.CreateTruncating(double.CreateTruncating(dy[i]) * AccurateMath.SigmoidDerivative(double.CreateTruncating(x[i])));
            }

            return;
        }

        TensorPrimitives.Subtract(T.One, y, dx);
        TensorPrimitives.Multiply(dx, y, dx);
        TensorPrimitives.Multiply(dx, dy, dx);
    }
}
