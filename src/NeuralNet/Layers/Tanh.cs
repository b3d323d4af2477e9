using System.Numerics;
using System.Numerics.Tensors;
using NeuralNet.Compute;

namespace NeuralNet.Layers;

/// <summary>Hyperbolic tangent, <c>y = tanh(x)</c>; derivative <c>1 − y²</c>.</summary>
/// <remarks>
/// In float, the value is <c>Math.Tanh</c> of the input in double and the derivative <c>1/cosh²x</c> in double, each
/// rounded once: the runtime's vectorised float tanh returns −2⁻²⁴ for 0 and the wrong sign for tiny inputs, and
/// <c>1 − y²</c> in float is 0 once <c>y</c> rounds to 1 (|x| ≳ 9), where the true derivative is still a normal float.
/// </remarks>
/// <typeparam name="T">Element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
[LayerKind("tanh")]
public sealed class Tanh<T> : ElementwiseActivation<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc />
    public override string Name => "Tanh";

    /// <inheritdoc />
    public override LayerConfig GetConfig() => new("tanh");

    /// <summary>ONNX <c>Tanh</c>.</summary>
    /// <inheritdoc />
    public override OnnxForm ToOnnx() => OnnxForm.Operator("Tanh");

    /// <summary>Builds the layer from its configuration (no settings).</summary>
    /// <param name="config">The configuration.</param>
    internal static Tanh<T> FromConfig(LayerConfig config) => new();

    /// <summary>Imports ONNX <c>Tanh</c>.</summary>
    [OnnxImport("Tanh")]
    internal static Tanh<T> FromOnnx(OnnxNode node) => new();

    /// <inheritdoc />
    protected override void Activate(ReadOnlySpan<T> x, Span<T> y)
    {
        if (typeof(T) == typeof(float))
        {
            for (int i = 0; i < x.Length; i++)
            {
                y[i] = T.CreateTruncating(Math.Tanh(double.CreateTruncating(x[i])));
            }

            return;
        }

        // Element by element: the vectorised TensorPrimitives.Tanh computes an element differently depending on where the
        // buffer's alignment puts it (vector body or scalar edge), so equal inputs in different buffers could differ in
        // the last bit; Predict must be bit-reproducible.
        for (int i = 0; i < x.Length; i++)
        {
            y[i] = T.Tanh(x[i]);
        }
    }

    /// <inheritdoc />
    protected override void Differentiate(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx)
    {
        if (typeof(T) == typeof(float))
        {
            for (int i = 0; i < x.Length; i++)
            {
                dx[i] = T.CreateTruncating(double.CreateTruncating(dy[i]) * AccurateMath.TanhDerivative(double.CreateTruncating(x[i])));
            }

            return;
        }

        TensorPrimitives.Multiply(y, y, dx);
        TensorPrimitives.Subtract(T.One, dx, dx);
        TensorPrimitives.Multiply(dx, dy, dx);
    }
}
