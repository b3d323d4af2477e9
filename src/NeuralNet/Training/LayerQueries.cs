using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using NeuralNet.Layers;
using NeuralNet.Serialization.Codecs;

namespace NeuralNet.Training;

/// <summary>
/// Every fact about layers the trainer needs, in one place. Each is still answered by testing concrete layer types
/// (or looking up a codec); once layers state these facts themselves, only this file changes.
/// </summary>
internal static class LayerQueries
{
    /// <summary>
    /// Whether the network's output is a softmax, possibly followed by layers that pass it through unchanged.
    /// Needs from a layer: "is my output a softmax of my input?" and "do I pass my input through unchanged at inference?".
    /// </summary>
    public static bool EndsInSoftmax<T>(Network<T> network)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = network.Layers.Count - 1; i >= 0; i--)
        {
            switch (network.Layers[i])
            {
                case Softmax<T>:
                    return true;
                case Identity<T> or Dropout<T>:
                    continue;
                default:
                    return false;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether some layer needs at least two samples in every training batch (batch statistics), and its name for messages.
    /// Needs from a layer: "the fewest samples per training batch I accept".
    /// </summary>
    public static bool NeedsTwoSamplesPerBatch<T>(Network<T> network, [NotNullWhen(true)] out string? layerName)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        layerName = network.Layers.Any(layer => layer is BatchNorm1d<T>) ? "BatchNorm1d" : null;
        return layerName is not null;
    }

    /// <summary>
    /// Throws <see cref="NotSupportedException"/> naming the first layer that cannot be written to a model file or
    /// checkpoint. Needs from a layer: "can I be saved?" (a registered kind).
    /// </summary>
    public static void CheckSavable<T>(Network<T> network)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        foreach (ILayer<T> layer in network.Layers)
        {
            LayerCodecs.For(layer);
        }
    }
}
