using System.Numerics;
using NeuralNet.Layers;

namespace NeuralNet.Training;

/// <summary>
/// Everything that makes up a trained model's predictions: the parameter values, then the layers' statistics buffers
/// (running means and variances). A snapshot of the best epoch must hold all of them, or restoring it would pair the
/// best weights with the last epoch's statistics. Random generator states are not part of it.
/// </summary>
internal static class ModelStateSlots
{
    public static IReadOnlyList<Memory<T>> Of<T>(Network<T> network)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var slots = new List<Memory<T>>();
        foreach (Parameter<T> parameter in network.Parameters)
        {
            slots.Add(parameter.ValueMemory);
        }

        foreach (ILayer<T> layer in network.Layers)
        {
            foreach (LayerBuffer<T> buffer in layer.Buffers)
            {
                if (buffer.IsStatistics)
                {
                    slots.Add(buffer.Values);
                }
            }
        }

        return slots;
    }
}
