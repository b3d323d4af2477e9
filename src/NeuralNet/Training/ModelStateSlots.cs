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

    /// <summary>
    /// Checks saved slot values (a checkpoint's best weights) against the rules of the buffers they restore into, in the
    /// order of <see cref="Of{T}"/>: a negative running variance read from a file must not reach the network.
    /// </summary>
    /// <returns>The first violation, or <see langword="null"/>.</returns>
    public static string? FindViolation<T>(Network<T> network, IReadOnlyList<T[]> values)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int slot = network.Parameters.Count;
        foreach (ILayer<T> layer in network.Layers)
        {
            foreach (LayerBuffer<T> buffer in layer.Buffers)
            {
                if (!buffer.IsStatistics)
                {
                    continue;
                }

                if (slot < values.Count)
                {
                    string? violation = LayerBuffer<T>.Statistics(buffer.Name, values[slot], buffer.Rule).FindViolation();
                    if (violation is not null)
                    {
                        return $"{layer.Name}: best-weights {violation}";
                    }
                }

                slot++;
            }
        }

        return null;
    }
}
