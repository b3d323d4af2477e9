using System.Numerics;

namespace NeuralNet.Layers;

/// <summary>The identity, <c>y = x</c>: the output activation for regression.</summary>
/// <typeparam name="T">Element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class Identity<T> : ElementwiseActivation<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc />
    public override string Name => "Identity";

    /// <inheritdoc />
    protected override void Activate(ReadOnlySpan<T> x, Span<T> y) => x.CopyTo(y);

    /// <inheritdoc />
    protected override void Differentiate(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx) => dy.CopyTo(dx);
}
