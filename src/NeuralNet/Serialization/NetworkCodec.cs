using System.Numerics;
using NeuralNet.Layers;

namespace NeuralNet.Serialization;

/// <summary>
/// The network section of a payload: a layer count, then for each layer its stable kind name and a length-prefixed
/// block. Version 2 blocks are written by the one generic <see cref="LayerCodec"/>; version 1 blocks are read by
/// <see cref="LegacyLayerReader"/>.
/// </summary>
internal static class NetworkCodec
{
    /// <summary>The most layers a file may declare; far above any real network, low enough to reject garbage early.</summary>
    public const int MaxLayers = 1 << 16;

    /// <summary>The most dimensions a stored input shape may have.</summary>
    public const int MaxRank = 8;

    /// <summary>Writes the network in format version 2.</summary>
    /// <exception cref="NotSupportedException">A layer's kind is not registered; nothing has been written to any file.</exception>
    /// <exception cref="InvalidOperationException">A layer's state could not be loaded back (a NaN or negative running variance); the message names it.</exception>
    public static void Write<T>(Network<T> network, PayloadWriter writer)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        IReadOnlyList<ILayer<T>> layers = network.Layers;
        LayerConfig[] configs = [.. layers.Select((layer, i) => CheckSavable(layer, i))];
        Shape? input = network.InputShape;
        if (input is not null && input.Rank > MaxRank)
        {
            throw new NotSupportedException($"The network's input shape {input} has {input.Rank} dimensions; a model file stores at most {MaxRank}.");
        }

        writer.WriteByte((byte)(input?.Rank ?? 0));
        for (int d = 0; d < (input?.Rank ?? 0); d++)
        {
            writer.WriteCount(input![d]);
        }

        writer.WriteCount(layers.Count);
        for (int i = 0; i < layers.Count; i++)
        {
            ILayer<T> layer = layers[i];
            LayerConfig config = configs[i];
            writer.WriteName(config.Kind);
            writer.WriteBlock(block => LayerCodec.Write(config, layer, block));
        }
    }

    /// <summary>
    /// The layer's configuration, after checking that a loader could rebuild it: the kind is registered to the layer's
    /// class, and every buffer holds values the loader accepts.
    /// </summary>
    public static LayerConfig CheckSavable<T>(ILayer<T> layer, int index)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        LayerConfig config = layer.GetConfig() ?? throw new NotSupportedException($"Layer {index} {layer.Name}: GetConfig returned null.");
        Type type = layer.GetType();
        Type key = type.IsGenericType ? type.GetGenericTypeDefinition() : type;
        if (!LayerRegistry.IsRegistered(config.Kind) || (LayerRegistry.GetLayerType(config.Kind) is Type registered && registered != key && registered != type))
        {
            throw new NotSupportedException(
                $"Layer {index} {layer.Name} ({type.Name}) cannot be saved: its kind '{config.Kind}' is not registered to its class. Mark the class [LayerKind(\"{config.Kind}\")] and call LayerRegistry.Register(typeof({key.Name.Split('`')[0]}{(key.IsGenericTypeDefinition ? "<>" : string.Empty)})) (see docs/model-format.md, 'Adding a layer kind').");
        }

        CheckStorable(layer, index, config);
        foreach (LayerBuffer<T> buffer in layer.Buffers)
        {
            string? violation = buffer.FindViolation();
            if (violation is not null)
            {
                throw new InvalidOperationException($"Layer {index} {layer.Name} cannot be saved: {violation}, and a file holding it could not be loaded back.");
            }
        }

        return config;
    }

    /// <summary>Refuses, before anything is written, a layer description the reader would refuse (counts, names, setting kinds).</summary>
    private static void CheckStorable<T>(ILayer<T> layer, int index, LayerConfig config)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        string where = $"Layer {index} {layer.Name} cannot be saved";
        if (config.Settings.Count > LayerCodec.MaxEntries || layer.Parameters.Count > LayerCodec.MaxEntries || layer.Buffers.Count > LayerCodec.MaxEntries)
        {
            throw new NotSupportedException($"{where}: a model file stores at most {LayerCodec.MaxEntries} settings, parameters and buffers per layer.");
        }

        try
        {
            LayerCodec.CheckNesting(config);
        }
        catch (NotSupportedException e)
        {
            throw new NotSupportedException($"{where}: {e.Message}", e);
        }

        foreach (KeyValuePair<string, LayerSetting> setting in config.Settings)
        {
            if (!Enum.IsDefined(setting.Value.Kind))
            {
                throw new NotSupportedException($"{where}: its setting '{setting.Key}' has no value (default LayerSetting).");
            }
        }

        foreach (string name in layer.Parameters.Select(p => p.Name).Concat(layer.Buffers.Select(b => b.Name)))
        {
            try
            {
                StoredNames.Check(name, nameof(layer));
            }
            catch (ArgumentException e)
            {
                throw new NotSupportedException($"{where}: {e.Message}", e);
            }
        }
    }

    public static Network<T> Read<T>(PayloadReader reader, int version)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Shape? input = version >= 2 ? ReadShape(reader) : null;
        int count = reader.ReadCount("layer count", 1, MaxLayers);
        var layers = new ILayer<T>[count];
        for (int i = 0; i < count; i++)
        {
            string kind = reader.ReadName($"layer {i} kind");
            if (version >= 2 && !LayerRegistry.IsRegistered(kind))
            {
                throw reader.Error($"layer {i} has unknown kind '{kind}'; this version reads {string.Join(", ", LayerRegistry.Kinds)} (register your own layers with LayerRegistry.Register before loading)");
            }

            PayloadReader block = reader.ReadBlock($"layer {i} ({kind})");
            layers[i] = version == 1 ? LegacyLayerReader.Read<T>(kind, block).Build(block, i) : LayerCodec.Read<T>(kind, block, i);
            block.ExpectEnd($"layer {i} ({kind})");
        }

        try
        {
            return new Network<T>(input, layers);
        }
        catch (Exception e) when (e is ArgumentException or ArithmeticException)
        {
            throw reader.Error($"the layers do not fit together: {e.Message}");
        }
    }

    private static Shape? ReadShape(PayloadReader reader)
    {
        int rank = reader.ReadByte("input shape rank");
        if (rank == 0)
        {
            return null;
        }

        if (rank > MaxRank)
        {
            throw reader.Error($"the input shape has rank {rank}; at most {MaxRank} dimensions are stored");
        }

        var dimensions = new int[rank];
        long size = 1;
        for (int d = 0; d < rank; d++)
        {
            dimensions[d] = reader.ReadCount($"input shape dimension {d}", 1, int.MaxValue);
            size *= dimensions[d];
            if (size > Array.MaxLength)
            {
                throw reader.Error($"the input shape ({string.Join(", ", dimensions.Take(d + 1))}, …) has more elements per sample than an array holds");
            }
        }

        return Shape.Of(dimensions);
    }
}
