using System.Numerics;
using System.Text;
using NeuralNet.Data;

namespace NeuralNet.Serialization;

/// <summary>
/// The optional metadata section of a version-2 model payload, after the layers: present only when the network has
/// class names. <c>u32</c> name count (1 to 65,536, equal to the output size), then each name as <c>u16</c> UTF-8 byte
/// length (1 to 1,024) and the bytes; no two names equal. See <c>docs/model-format.md</c>.
/// </summary>
internal static class ClassNameCodec
{
    /// <summary>The fewest bytes one stored name takes: its length and one byte.</summary>
    private const int MinNameBytes = 3;

    /// <summary>Writes the section when the network has class names; nothing otherwise, so such files stay byte for byte as before.</summary>
    public static void Write<T>(Network<T> network, PayloadWriter writer)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (network.ClassNames is not { } names)
        {
            return;
        }

        writer.WriteCount(names.Count);
        foreach (string name in names)
        {
            byte[] bytes = ClassNameRules.Strict.GetBytes(name);
            writer.WriteUInt16((ushort)bytes.Length);
            writer.WriteBytes(bytes);
        }
    }

    /// <summary>Reads the section (the caller calls this only when bytes remain after the layers) and gives the names to the network.</summary>
    public static void Read<T>(PayloadReader reader, Network<T> network)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int count = reader.ReadCount("class-name count", 1, ClassNameRules.MaxCount);
        if ((long)count * MinNameBytes > reader.Remaining)
        {
            throw reader.Error($"the metadata section claims {count:N0} class names but only {reader.Remaining:N0} bytes remain");
        }

        if (network.OutputSize is not int outputs || outputs != count)
        {
            throw reader.Error($"the metadata section holds {count:N0} class names but the network has {(network.OutputSize is int size ? $"{size:N0} outputs" : "an unknown output size")}");
        }

        var names = new string[count];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int k = 0; k < count; k++)
        {
            int length = reader.ReadUInt16($"class name {k} length");
            if (length is 0 or > ClassNameRules.MaxNameBytes)
            {
                throw reader.Error($"class name {k} has length {length}; names are 1 to {ClassNameRules.MaxNameBytes} UTF-8 bytes");
            }

            byte[] bytes = reader.ReadBytes(length, $"class name {k}");
            try
            {
                names[k] = ClassNameRules.Strict.GetString(bytes);
            }
            catch (DecoderFallbackException)
            {
                throw reader.Error($"class name {k} is not valid UTF-8");
            }

            if (!seen.Add(names[k]))
            {
                throw reader.Error($"class name {k} '{ClassNameRules.Shorten(names[k])}' appears twice");
            }
        }

        network.ClassNames = names;
    }
}
