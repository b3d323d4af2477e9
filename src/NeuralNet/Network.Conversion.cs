using System.Numerics;
using NeuralNet.Layers;

namespace NeuralNet;

/// <content>Converting a network to another element type.</content>
public sealed partial class Network<T>
{
    /// <summary>
    /// A copy of the network with element type <typeparamref name="TOther"/>: the same layers (rebuilt from their
    /// configurations through <see cref="LayerRegistry"/>), the parameters and statistics converted value by value
    /// (rounded to nearest when narrowing to <see cref="float"/>), random generator states and class names copied.
    /// </summary>
    /// <remarks>Loading never converts silently; this is the explicit way, e.g. to train in float and check gradients in double.</remarks>
    /// <typeparam name="TOther">The element type of the copy.</typeparam>
    /// <returns>A new, independent network.</returns>
    /// <exception cref="NotSupportedException">A layer's kind is not registered.</exception>
    /// <exception cref="ArgumentException">A value does not fit <typeparamref name="TOther"/> (e.g. 1e300 to float); the message names the layer and the tensor.</exception>
    public Network<TOther> Convert<TOther>()
        where TOther : unmanaged, IFloatingPointIeee754<TOther>
    {
        var converted = new ILayer<TOther>[layers.Length];
        for (int i = 0; i < layers.Length; i++)
        {
            LayerConfig config = Serialization.NetworkCodec.CheckSavable(layers[i], i);
            ILayer<TOther> copy = LayerRegistry.Create<TOther>(config);
            for (int p = 0; p < copy.Parameters.Count; p++)
            {
                CopyValues(layers[i].Parameters[p].ValueSpan, copy.Parameters[p].ValueSpan, i, layers[i].Parameters[p].Name);
            }

            for (int b = 0; b < copy.Buffers.Count; b++)
            {
                LayerBuffer<T> from = layers[i].Buffers[b];
                if (from.IsStatistics)
                {
                    CopyValues<TOther>(from.Values.Span, copy.Buffers[b].Values.Span, i, from.Name);
                }
                else
                {
                    from.Words.Span.CopyTo(copy.Buffers[b].Words.Span);
                }
            }

            converted[i] = copy;
        }

        var network = new Network<TOther>(InputShape, converted);
        if (ClassNames is { } names)
        {
            network.ClassNames = names;
        }

        return network;
    }

    private void CopyValues<TOther>(ReadOnlySpan<T> from, Span<TOther> to, int layer, string tensor)
        where TOther : unmanaged, IFloatingPointIeee754<TOther>
    {
        for (int k = 0; k < from.Length; k++)
        {
            to[k] = TOther.CreateChecked(from[k]);
            if (T.IsFinite(from[k]) && !TOther.IsFinite(to[k]))
            {
                throw new ArgumentException($"Layer {layer} {layers[layer].Name}: {tensor}[{k}] = {from[k]} does not fit {typeof(TOther).Name}.");
            }
        }
    }
}
