using System.Numerics;

namespace NeuralNet.Layers;

/// <summary>A layer made of inner layers (a residual block): what a network's summary lists beneath it.</summary>
/// <typeparam name="T">Element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
internal interface ILayerBlock<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The block's line in a summary, above its inner layers' lines, e.g. <c>Residual (4 layers)</c>.</summary>
    string Heading { get; }

    /// <summary>The inner layers in forward order.</summary>
    IReadOnlyList<ILayer<T>> Layers { get; }

    /// <summary>The shape of the samples inner layer <paramref name="index"/> produces, or <see langword="null"/> before the block is connected.</summary>
    Shape? GetLayerOutputShape(int index);
}
