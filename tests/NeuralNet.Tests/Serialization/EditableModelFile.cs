using System.Buffers.Binary;
using System.IO.Hashing;

namespace NeuralNet.Tests.Serialization;

/// <summary>
/// A format-version-2 model (or checkpoint) file taken apart into its layer blocks, written from docs/model-format.md
/// independently of the library's codec: fuzz tests edit a setting, parameter or buffer as a value and write the file
/// back with every block length, the payload length and the CRC-32 recomputed, so the edit reaches the parser.
/// The counts can be overridden to disagree with the lists.
/// </summary>
internal sealed class EditableModelFile
{
    private EditableModelFile(byte[] header, byte[] shape, List<Layer> layers, byte[] tail)
    {
        Header = header;
        Shape = shape;
        Layers = layers;
        Tail = tail;
    }

    /// <summary>The 20-byte header (the payload length is rewritten).</summary>
    public byte[] Header { get; }

    /// <summary>The input shape: rank byte and dimensions, as stored.</summary>
    public byte[] Shape { get; set; }

    public List<Layer> Layers { get; }

    /// <summary>What follows the layers in the payload (a checkpoint's epoch, optimizer state and trainer state).</summary>
    public byte[] Tail { get; set; }

    public static EditableModelFile Parse(byte[] file, int elementSize)
    {
        BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(8)).Should().Be(2, "the editor reads format version 2");
        int end = file.Length - 4;
        int p = 20;
        int rank = file[p];
        byte[] shape = file[p..(p + 1 + (4 * rank))];
        p += shape.Length;
        uint count = U32(file, p);
        p += 4;
        var layers = new List<Layer>();
        for (int i = 0; i < count; i++)
        {
            byte[] kind = Name(file, ref p);
            int blockEnd = p + 4 + (int)U32(file, p);
            p += 4;
            var layer = new Layer { Kind = kind };
            uint settings = U32(file, p);
            p += 4;
            for (int s = 0; s < settings; s++)
            {
                byte[] name = Name(file, ref p);
                byte type = file[p++];
                int length = SettingLength(file, p, type);
                layer.Settings.Add(new Setting(name, type, file[p..(p + length)]));
                p += length;
            }

            uint parameters = U32(file, p);
            p += 4;
            for (int k = 0; k < parameters; k++)
            {
                byte[] name = Name(file, ref p);
                uint rows = U32(file, p), columns = U32(file, p + 4);
                p += 8;
                int length = (int)(rows * columns * elementSize);
                layer.Parameters.Add(new Tensor(name, rows, columns, file[p..(p + length)]));
                p += length;
            }

            uint buffers = U32(file, p);
            p += 4;
            for (int b = 0; b < buffers; b++)
            {
                byte[] name = Name(file, ref p);
                byte type = file[p++];
                uint length = U32(file, p);
                p += 4;
                int bytes = (int)length * (type == 2 ? 8 : elementSize);
                layer.Buffers.Add(new Buffer(name, type, length, file[p..(p + bytes)]));
                p += bytes;
            }

            p.Should().Be(blockEnd, $"layer {i}'s block must be walked exactly");
            layers.Add(layer);
        }

        return new EditableModelFile(file[..20], shape, layers, file[p..end]);
    }

    /// <summary>The bytes of a setting's value of <paramref name="type"/> at <paramref name="p"/>; a list of layers (type 6) is walked entry by entry.</summary>
    private static int SettingLength(byte[] file, int p, byte type)
    {
        switch (type)
        {
            case 1 or 2:
                return 8;
            case 3:
                return 1;
            case 4:
                return 2 + BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(p));
            case 6:
                int start = p;
                uint layers = U32(file, p);
                p += 4;
                for (int l = 0; l < layers; l++)
                {
                    Name(file, ref p);
                    uint settings = U32(file, p);
                    p += 4;
                    for (int s = 0; s < settings; s++)
                    {
                        Name(file, ref p);
                        byte inner = file[p++];
                        p += SettingLength(file, p, inner);
                    }
                }

                return p - start;
            default:
                return 4 + (8 * (int)U32(file, p));
        }
    }

    /// <summary>The file with every length and the checksum recomputed (counts from the lists unless overridden).</summary>
    public byte[] ToBytes()
    {
        var payload = new List<byte>(Shape);
        AddU32(payload, (uint)Layers.Count);
        foreach (Layer layer in Layers)
        {
            AddName(payload, layer.Kind);
            var block = new List<byte>();
            AddU32(block, layer.SettingCount ?? (uint)layer.Settings.Count);
            foreach (Setting setting in layer.Settings)
            {
                AddName(block, setting.Name);
                block.Add(setting.Type);
                block.AddRange(setting.Value);
            }

            AddU32(block, layer.ParameterCount ?? (uint)layer.Parameters.Count);
            foreach (Tensor parameter in layer.Parameters)
            {
                AddName(block, parameter.Name);
                AddU32(block, parameter.Rows);
                AddU32(block, parameter.Columns);
                block.AddRange(parameter.Values);
            }

            AddU32(block, layer.BufferCount ?? (uint)layer.Buffers.Count);
            foreach (Buffer buffer in layer.Buffers)
            {
                AddName(block, buffer.Name);
                block.Add(buffer.Type);
                AddU32(block, buffer.Length);
                block.AddRange(buffer.Values);
            }

            AddU32(payload, (uint)block.Count);
            payload.AddRange(block);
        }

        payload.AddRange(Tail);
        byte[] file = [.. Header, .. payload, 0, 0, 0, 0];
        BinaryPrimitives.WriteUInt64LittleEndian(file.AsSpan(12), (ulong)payload.Count);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(file.Length - 4), Crc32.HashToUInt32(file.AsSpan(0, file.Length - 4)));
        return file;
    }

    private static void AddName(List<byte> bytes, byte[] name)
    {
        bytes.Add((byte)name.Length);
        bytes.AddRange(name);
    }

    private static void AddU32(List<byte> bytes, uint value)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(b, value);
        bytes.AddRange(b.ToArray());
    }

    private static byte[] Name(byte[] file, ref int p)
    {
        byte[] name = file[(p + 1)..(p + 1 + file[p])];
        p += 1 + file[p];
        return name;
    }

    private static uint U32(byte[] file, int p) => BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(p));

    /// <summary>One layer block. A name is its raw bytes (its length byte is written from the array).</summary>
    internal sealed class Layer
    {
        public required byte[] Kind { get; set; }

        public List<Setting> Settings { get; } = [];

        public List<Tensor> Parameters { get; } = [];

        public List<Buffer> Buffers { get; } = [];

        public uint? SettingCount { get; set; }

        public uint? ParameterCount { get; set; }

        public uint? BufferCount { get; set; }
    }

    /// <summary>A setting: its name, type code and the bytes that follow the type code.</summary>
    internal sealed record Setting(byte[] Name, byte Type, byte[] Value);

    internal sealed record Tensor(byte[] Name, uint Rows, uint Columns, byte[] Values);

    internal sealed record Buffer(byte[] Name, byte Type, uint Length, byte[] Values);
}
