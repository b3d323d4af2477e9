using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using NeuralNet.Layers;
using NeuralNet.Serialization;

namespace NeuralNet.Training;

/// <summary>
/// Every fact about layers the trainer needs, in one place, each answered by the layers themselves
/// (<see cref="ILayer{T}.Traits"/>, <see cref="ILayer{T}.GetConfig"/>): no layer type is named here.
/// </summary>
internal static class LayerQueries
{
    /// <summary>Whether the network's output is a softmax, possibly followed by layers that pass it through unchanged at inference.</summary>
    public static bool EndsInSoftmax<T>(Network<T> network)
        where T : unmanaged, IFloatingPointIeee754<T> => network.EndsInProbabilities();

    /// <summary>Whether some layer uses batch statistics, so needs at least two samples in every training batch, and its name.</summary>
    public static bool NeedsTwoSamplesPerBatch<T>(Network<T> network, [NotNullWhen(true)] out string? layerName)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        layerName = network.Layers.FirstOrDefault(layer => (layer.Traits & LayerTraits.UsesBatchStatistics) != 0)?.Name;
        return layerName is not null;
    }

    /// <summary>Throws <see cref="NotSupportedException"/> naming the first layer that cannot be written to a model file or checkpoint.</summary>
    public static void CheckSavable<T>(Network<T> network)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < network.Layers.Count; i++)
        {
            NetworkCodec.CheckSavable(network.Layers[i], i);
        }
    }
}
