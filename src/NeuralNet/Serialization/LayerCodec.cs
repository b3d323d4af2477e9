using System.Numerics;
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

    public static StoredLayer<T> Read<T>(string kind, PayloadReader block)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var config = new LayerConfig(kind);
        int settings = block.ReadCount($"{kind}: setting count", 0, MaxEntries);
        for (int i = 0; i < settings; i++)
        {
            string name = block.ReadName($"{kind}: setting {i} name");
            LayerSetting value = ReadSetting(block, $"{kind}: setting '{name}'");
            try
            {
                config.With(name, value);
            }
            catch (ArgumentException e)
            {
                throw block.Error(e.Message);
            }
        }

        var stored = new StoredLayer<T>(config);
        int parameters = block.ReadCount($"{kind}: parameter count", 0, MaxEntries);
        for (int i = 0; i < parameters; i++)
        {
            string name = block.ReadName($"{kind}: parameter {i} name");
            T[] values = block.ReadTensor<T>($"{kind} {name}", out int rows, out int columns);
            stored.Parameters.Add((name, rows, columns, values));
        }

        int buffers = block.ReadCount($"{kind}: buffer count", 0, MaxEntries);
        for (int i = 0; i < buffers; i++)
        {
            string name = block.ReadName($"{kind}: buffer {i} name");
            stored.Buffers.Add(ReadBuffer<T>(block, $"{kind} buffer '{name}'", name));
        }

        return stored;
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

    private static LayerSetting ReadSetting(PayloadReader block, string what)
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
            default:
                throw block.Error($"{what} has type code {kind}, which is unknown (1 number, 2 integer, 3 flag, 4 text, 5 integers)");
        }
    }

    private static (string Name, T[]? Values, ulong[]? Words) ReadBuffer<T>(PayloadReader block, string what, string name)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        byte type = block.ReadByte($"{what} type");
        if (type is not (ValuesBuffer or WordsBuffer))
        {
            throw block.Error($"{what} has type code {type}; expected {ValuesBuffer} (values) or {WordsBuffer} (generator words)");
        }

        int width = type == WordsBuffer ? sizeof(ulong) : ElementTypes.Of<T>() == ElementType.Float32 ? 4 : 8;
        int length = block.ReadCount($"{what} length", 0, block.Remaining / width);
        if (type == WordsBuffer)
        {
            var words = new ulong[length];
            for (int i = 0; i < length; i++)
            {
                words[i] = block.ReadUInt64(what);
            }

            return (name, null, words);
        }

        var values = new T[length];
        block.ReadElements<T>(values, what);
        return (name, values, null);
    }
}
