using System.Numerics;
using System.Runtime.CompilerServices;
using System.Text;
using NeuralNet.Compute;
using NeuralNet.Layers;

namespace NeuralNet.Serialization;

/// <summary>
/// The one codec of format version 2, for every layer kind: settings, named parameters and named buffers, all taken
/// from the layer's own description (<see cref="ILayer{T}.GetConfig"/>, <see cref="ILayer{T}.Parameters"/>,
/// <see cref="ILayer{T}.Buffers"/>). See <c>docs/model-format.md</c>.
/// </summary>
internal static class LayerCodec
{
    /// <summary>The most settings, parameters or buffers one layer may declare.</summary>
    public const int MaxEntries = 1024;

    /// <summary>The longest text setting, in UTF-8 bytes.</summary>
    public const int MaxTextBytes = 4096;

    /// <summary>The most values in one list-of-integers setting.</summary>
    public const int MaxIntegers = 1024;

    /// <summary>
    /// The deepest nesting of list-of-layers settings (a block inside a block inside …): far above any real model, low
    /// enough that a damaged file cannot make the reader recurse without bound.
    /// </summary>
    public const int MaxNestingDepth = 16;

    /// <summary>The fewest bytes one nested layer takes: its kind (a length byte and ≥ 1 character) and a setting count.</summary>
    private const int MinNestedLayerBytes = 6;

    private const byte ValuesBuffer = 1;
    private const byte WordsBuffer = 2;

    public static void Write<T>(LayerConfig config, ILayer<T> layer, PayloadWriter writer)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        writer.WriteCount(config.Settings.Count);
        foreach (KeyValuePair<string, LayerSetting> setting in config.Settings)
        {
            writer.WriteName(setting.Key);
            WriteSetting(setting.Value, writer);
        }

        writer.WriteCount(layer.Parameters.Count);
        foreach (Parameter<T> parameter in layer.Parameters)
        {
            writer.WriteName(parameter.Name);
            writer.WriteTensor<T>(parameter.Value.RowCount, parameter.Value.ColumnCount, DenseStorage.Of(parameter.Value, parameter.Name));
        }

        writer.WriteCount(layer.Buffers.Count);
        foreach (LayerBuffer<T> buffer in layer.Buffers)
        {
            writer.WriteName(buffer.Name);
            writer.WriteByte(buffer.IsStatistics ? ValuesBuffer : WordsBuffer);
            writer.WriteCount(buffer.Length);
            if (buffer.IsStatistics)
            {
                writer.WriteElements<T>(buffer.Values.Span);
            }
            else
            {
                foreach (ulong word in buffer.Words.Span)
                {
                    writer.WriteUInt64(word);
                }
            }
        }
    }

    /// <summary>
    /// Reads one layer: its settings, then builds it through the registry (its parameters may not need more values
    /// than the block holds), then reads each stored parameter and buffer straight into the layer, checking names and
    /// shapes first.
    /// </summary>
    public static ILayer<T> Read<T>(string kind, PayloadReader block, int index)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        string where = $"layer {index} ({kind})";
        LayerConfig config = ReadConfig(kind, block, where, depth: 0);
        ILayer<T> layer = StoredLayer<T>.Create(config, block, index, block.Remaining / Unsafe.SizeOf<T>());

        // The settings must be exactly those of the layer they build, as Save writes them: a setting the layer does not
        // have (or another order) would otherwise be dropped silently, and the file would not be what Save writes.
        LayerConfig built = layer.GetConfig();
        if (!built.Equals(config))
        {
            string difference = built.DescribeDifference(config) ?? "the same settings in another order";
            throw block.Error($"{where} stores the settings {config}, but the layer they build has {built} ({difference}); a file holds exactly the layer's own settings, in its order");
        }

        ReadParameters(layer.Parameters, block, where);
        ReadBuffers(layer.Buffers, block, where);
        return layer;
    }

    /// <summary>Reads a setting count and the settings of a layer of <paramref name="kind"/>, nested <paramref name="depth"/> blocks deep.</summary>
    private static LayerConfig ReadConfig(string kind, PayloadReader block, string where, int depth)
    {
        var config = new LayerConfig(kind);
        int settings = block.ReadCount($"{where}: setting count", 0, MaxEntries);
        for (int i = 0; i < settings; i++)
        {
            string name = block.ReadName($"{where}: setting {i} name");
            LayerSetting value = ReadSetting(block, $"{where}: setting '{name}'", depth);
            try
            {
                config.With(name, value);
            }
            catch (ArgumentException e)
            {
                throw block.Error(e.Message);
            }
        }

        return config;
    }

    /// <summary>
    /// Refuses, before anything is written, a configuration whose list-of-layers settings nest deeper than a reader
    /// accepts or hold more entries than it reads.
    /// </summary>
    public static void CheckNesting(LayerConfig config, int depth = 0)
    {
        foreach (KeyValuePair<string, LayerSetting> setting in config.Settings.Where(s => s.Value.Kind == LayerSettingKind.Layers))
        {
            IReadOnlyList<LayerConfig> inner = setting.Value.Layers;
            if (depth >= MaxNestingDepth || inner.Count > MaxEntries)
            {
                throw new NotSupportedException(
                    $"{config.Kind}: the setting '{setting.Key}' holds {inner.Count} layers at nesting depth {depth + 1}; a model file stores at most {MaxEntries} per list and {MaxNestingDepth} levels of nesting.");
            }

            foreach (LayerConfig layer in inner)
            {
                if (layer.Settings.Count > MaxEntries)
                {
                    throw new NotSupportedException($"{layer.Kind}: a model file stores at most {MaxEntries} settings per layer.");
                }

                CheckNesting(layer, depth + 1);
            }
        }
    }

    private static void ReadParameters<T>(IReadOnlyList<Parameter<T>> parameters, PayloadReader block, string where)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int count = block.ReadCount($"{where}: parameter count", 0, MaxEntries);
        if (count != parameters.Count)
        {
            throw block.Error($"{where} stores {count} parameters, but a layer with its settings has {parameters.Count}");
        }

        foreach (Parameter<T> target in parameters)
        {
            string name = block.ReadName($"{where}: parameter name");
            int rows = block.ReadCount($"{where} {name}: row count", 1, int.MaxValue);
            int columns = block.ReadCount($"{where} {name}: column count", 1, int.MaxValue);
            if (name != target.Name || rows != target.Value.RowCount || columns != target.Value.ColumnCount)
            {
                throw block.Error($"{where} stores parameter '{name}' of {rows} × {columns}, but the layer's next parameter is '{target.Name}' of {target.Value.RowCount} × {target.Value.ColumnCount}");
            }

            block.ReadElements<T>(target.ValueSpan, $"{where} {name}");
        }
    }

    private static void ReadBuffers<T>(IReadOnlyList<LayerBuffer<T>> buffers, PayloadReader block, string where)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int count = block.ReadCount($"{where}: buffer count", 0, MaxEntries);
        if (count != buffers.Count)
        {
            throw block.Error($"{where} stores {count} buffers, but a layer with its settings has {buffers.Count}");
        }

        foreach (LayerBuffer<T> target in buffers)
        {
            string name = block.ReadName($"{where}: buffer name");
            byte type = block.ReadByte($"{where} buffer '{name}' type");
            int length = block.ReadCount($"{where} buffer '{name}' length", 0, int.MaxValue);
            if (name != target.Name || type != (target.IsStatistics ? ValuesBuffer : WordsBuffer) || length != target.Length)
            {
                throw block.Error($"{where} stores buffer '{name}' (type {type}, length {length}), but the layer's next buffer is {target}");
            }

            if (target.IsStatistics)
            {
                block.ReadElements<T>(target.Values.Span, $"{where} buffer '{name}'");
            }
            else
            {
                Span<ulong> words = target.Words.Span;
                for (int i = 0; i < words.Length; i++)
                {
                    words[i] = block.ReadUInt64($"{where} buffer '{name}'");
                }
            }

            string? violation = target.FindViolation();
            if (violation is not null)
            {
                throw block.Error($"{where}: {violation}");
            }
        }
    }

    /// <summary>The configurations of a list-of-layers setting at nesting <paramref name="depth"/> (1 for a block's inner layers).</summary>
    private static LayerConfig[] ReadLayers(PayloadReader block, string what, int depth)
    {
        if (depth > MaxNestingDepth)
        {
            throw block.Error($"{what} nests layers {depth} levels deep; at most {MaxNestingDepth} are read");
        }

        int count = block.ReadCount($"{what} layer count", 0, Math.Min(MaxEntries, block.Remaining / MinNestedLayerBytes));
        var layers = new LayerConfig[count];
        for (int i = 0; i < count; i++)
        {
            string kind = block.ReadName($"{what} layer {i} kind");
            layers[i] = ReadConfig(kind, block, $"{what} layer {i} ({kind})", depth);
        }

        return layers;
    }

    private static void WriteSetting(LayerSetting value, PayloadWriter writer)
    {
        writer.WriteByte((byte)value.Kind);
        switch (value.Kind)
        {
            case LayerSettingKind.Number:
                writer.WriteDouble(value.Number);
                break;
            case LayerSettingKind.Integer:
                writer.WriteUInt64(unchecked((ulong)value.Integer));
                break;
            case LayerSettingKind.Boolean:
                writer.WriteByte(value.Boolean ? (byte)1 : (byte)0);
                break;
            case LayerSettingKind.Text:
                byte[] bytes = Encoding.UTF8.GetBytes(value.Text);
                if (bytes.Length > MaxTextBytes)
                {
                    throw new ArgumentException($"A text setting of {bytes.Length:N0} bytes is longer than the {MaxTextBytes:N0} a model file stores.");
                }

                writer.WriteUInt16((ushort)bytes.Length);
                writer.WriteBytes(bytes);
                break;
            case LayerSettingKind.Layers:
                writer.WriteCount(value.Layers.Count);
                foreach (LayerConfig layer in value.Layers)
                {
                    writer.WriteName(layer.Kind);
                    writer.WriteCount(layer.Settings.Count);
                    foreach (KeyValuePair<string, LayerSetting> setting in layer.Settings)
                    {
                        writer.WriteName(setting.Key);
                        WriteSetting(setting.Value, writer);
                    }
                }

                break;
            default:
                IReadOnlyList<long> values = value.Integers;
                if (values.Count > MaxIntegers)
                {
                    throw new ArgumentException($"A list setting of {values.Count:N0} integers is longer than the {MaxIntegers:N0} a model file stores.");
                }

                writer.WriteCount(values.Count);
                foreach (long v in values)
                {
                    writer.WriteUInt64(unchecked((ulong)v));
                }

                break;
        }
    }

    private static LayerSetting ReadSetting(PayloadReader block, string what, int depth)
    {
        byte kind = block.ReadByte($"{what} type");
        switch ((LayerSettingKind)kind)
        {
            case LayerSettingKind.Number:
                return LayerSetting.FromNumber(block.ReadDouble(what));
            case LayerSettingKind.Integer:
                return LayerSetting.FromInteger(unchecked((long)block.ReadUInt64(what)));
            case LayerSettingKind.Boolean:
                byte flag = block.ReadByte(what);
                return flag <= 1 ? LayerSetting.FromBoolean(flag == 1) : throw block.Error($"{what} is {flag}; a flag is 0 or 1");
            case LayerSettingKind.Text:
                int length = block.ReadUInt16($"{what} length");
                if (length > MaxTextBytes)
                {
                    throw block.Error($"{what} claims {length:N0} bytes; texts are at most {MaxTextBytes:N0}");
                }

                try
                {
                    return LayerSetting.FromText(new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(block.ReadBytes(length, what)));
                }
                catch (DecoderFallbackException)
                {
                    throw block.Error($"{what} is not valid UTF-8");
                }

            case LayerSettingKind.Integers:
                int count = block.ReadCount($"{what} count", 0, MaxIntegers);
                var values = new long[count];
                for (int i = 0; i < count; i++)
                {
                    values[i] = unchecked((long)block.ReadUInt64(what));
                }

                return LayerSetting.FromIntegers(values);
            case LayerSettingKind.Layers:
                return LayerSetting.FromLayers(ReadLayers(block, what, depth + 1));
            default:
                throw block.Error($"{what} has type code {kind}, which is unknown (1 number, 2 integer, 3 flag, 4 text, 5 integers, 6 layers)");
        }
    }
}
