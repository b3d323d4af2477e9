using System.Numerics;
using NeuralNet.Optimizers;

namespace NeuralNet.Serialization;

/// <summary>
/// The optimizer section of a checkpoint: the step count, then per parameter its named buffers (sorted by name,
/// so equal states give equal bytes).
/// </summary>
internal static class OptimizerStateCodec
{
    /// <summary>The most buffers one parameter may have (Adam-like optimizers use two or three).</summary>
    public const int MaxBuffersPerParameter = 64;

    public static void Write<T>(OptimizerState<T> state, int parameterCount, PayloadWriter writer)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (state.Buffers.Count != parameterCount)
        {
            throw new ArgumentException($"The optimizer state has buffers for {state.Buffers.Count} parameters but the network has {parameterCount}.", nameof(state));
        }

        writer.WriteUInt64((ulong)state.StepCount);
        writer.WriteCount(parameterCount);
        foreach (IReadOnlyDictionary<string, T[]> buffers in state.Buffers)
        {
            if (buffers.Count > MaxBuffersPerParameter)
            {
                throw new ArgumentException($"A parameter has {buffers.Count} optimizer buffers; at most {MaxBuffersPerParameter} can be stored.", nameof(state));
            }

            writer.WriteCount(buffers.Count);
            foreach (KeyValuePair<string, T[]> buffer in buffers.OrderBy(b => b.Key, StringComparer.Ordinal))
            {
                writer.WriteName(buffer.Key);
                writer.WriteCount(buffer.Value.Length);
                writer.WriteElements<T>(buffer.Value);
            }
        }
    }

    public static OptimizerState<T> Read<T>(PayloadReader reader, int parameterCount)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ulong steps = reader.ReadUInt64("optimizer step count");
        if (steps > long.MaxValue)
        {
            throw reader.Error($"optimizer step count {steps} is out of range");
        }

        reader.ReadCount("optimizer parameter count", parameterCount, parameterCount);
        int elementSize = ElementTypes.Of<T>() == ElementType.Float32 ? 4 : 8;
        var all = new IReadOnlyDictionary<string, T[]>[parameterCount];
        for (int p = 0; p < parameterCount; p++)
        {
            int count = reader.ReadCount($"parameter {p} optimizer buffer count", 0, MaxBuffersPerParameter);
            var buffers = new Dictionary<string, T[]>(count, StringComparer.Ordinal);
            for (int b = 0; b < count; b++)
            {
                string name = reader.ReadName($"parameter {p} optimizer buffer {b} name");
                int length = reader.ReadCount($"parameter {p} optimizer buffer '{name}' length", 0, reader.Remaining / elementSize);
                var values = new T[length];
                reader.ReadElements<T>(values, $"parameter {p} optimizer buffer '{name}'");
                if (!buffers.TryAdd(name, values))
                {
                    throw reader.Error($"parameter {p} has two optimizer buffers named '{name}'");
                }
            }

            all[p] = buffers;
        }

        return new OptimizerState<T>((long)steps, all);
    }
}
