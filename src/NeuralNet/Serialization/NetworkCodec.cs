using System.Numerics;
using NeuralNet.Layers;
using NeuralNet.Serialization.Codecs;

namespace NeuralNet.Serialization;

/// <summary>
/// The network section of a payload: a layer count, then for each layer its stable kind name and a length-prefixed
/// block that the kind's codec writes and reads.
/// </summary>
internal static class NetworkCodec
{
    /// <summary>The most layers a file may declare; far above any real network, low enough to reject garbage early.</summary>
    public const int MaxLayers = 1 << 16;

    public static void Write<T>(Network<T> network, PayloadWriter writer)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        IReadOnlyList<ILayer<T>> layers = network.Layers;
        ILayerCodec[] codecs = [.. layers.Select(LayerCodecs.For)];
        writer.WriteCount(layers.Count);
        for (int i = 0; i < layers.Count; i++)
        {
            ILayerCodec codec = codecs[i];
            ILayer<T> layer = layers[i];
            writer.WriteName(codec.Kind);
            writer.WriteBlock(block => codec.Write(layer, block));
        }
    }

    public static Network<T> Read<T>(PayloadReader reader)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int count = reader.ReadCount("layer count", 1, MaxLayers);
        var layers = new ILayer<T>[count];
        for (int i = 0; i < count; i++)
        {
            string kind = reader.ReadName($"layer {i} kind");
            if (!LayerCodecs.TryForKind(kind, out ILayerCodec codec))
            {
                throw reader.Error($"layer {i} has unknown kind '{kind}'; this version reads {string.Join(", ", LayerCodecs.Kinds)}");
            }

            PayloadReader block = reader.ReadBlock($"layer {i} ({kind})");
            try
            {
                layers[i] = codec.Read<T>(block);
            }
            catch (ArgumentException e)
            {
                throw block.Error($"layer {i} ({kind}) is invalid: {e.Message}");
            }

            block.ExpectEnd($"layer {i} ({kind})");
        }

        try
        {
            return new Network<T>(layers);
        }
        catch (ArgumentException e)
        {
            throw reader.Error($"the layers do not fit together: {e.Message}");
        }
    }
}
