using System.Numerics;
using System.Numerics.Tensors;

namespace NeuralNet.Layers;

/// <summary>Logistic sigmoid, <c>y = 1 / (1 + e^(−x))</c>; derivative <c>y(1 − y)</c>.</summary>
/// <remarks>Saturates cleanly to exactly 0 or 1 for large |x| (never NaN).</remarks>
/// <typeparam name="T">Element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class Sigmoid<T> : ElementwiseActivation<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc />
    public override string Name => "Sigmoid";

    /// <inheritdoc />
    protected override void Activate(ReadOnlySpan<T> x, Span<T> y) => TensorPrimitives.Sigmoid(x, y);

    /// <inheritdoc />
    protected override void Differentiate(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx)
    {
        TensorPrimitives.Subtract(T.One, y, dx);
        TensorPrimitives.Multiply(dx, y, dx);
        TensorPrimitives.Multiply(dx, dy, dx);
    }
}
