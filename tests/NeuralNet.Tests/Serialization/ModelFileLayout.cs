using System.Buffers.Binary;
using System.Text;

namespace NeuralNet.Tests.Serialization;

/// <summary>
/// An independent walk over a format-version-2 model file, written from docs/model-format.md: where each size field,
/// setting, parameter and buffer lies, so damage tests can edit exactly one field.
/// </summary>
internal sealed class ModelFileLayout
{
    private ModelFileLayout()
    {
    }

    /// <summary>Every size or count field: (offset, width in bytes, description).</summary>
    public List<(int Offset, int Width, string Field)> SizeFields { get; } = [];

    /// <summary>Offset of each setting's value, keyed "layer/setting", e.g. "0/probability".</summary>
    public Dictionary<string, int> Settings { get; } = [];

    /// <summary>Offset of each parameter's row count (values follow 8 bytes later), keyed "layer/name".</summary>
    public Dictionary<string, int> Parameters { get; } = [];

    /// <summary>Offset of each buffer's first value or word, keyed "layer/name".</summary>
    public Dictionary<string, int> Buffers { get; } = [];

    public static ModelFileLayout Of(byte[] file, int elementSize)
    {
        var layout = new ModelFileLayout();
        layout.SizeFields.Add((12, 8, "payload length"));
        BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(8)).Should().Be(2, "the walk reads format version 2");
        int p = 20;
        int rank = file[p];
        layout.SizeFields.Add((p, 1, "input shape rank"));
        p += 1;
        for (int d = 0; d < rank; d++, p += 4)
        {
            layout.SizeFields.Add((p, 4, $"input shape dimension {d}"));
        }

        uint layers = U32(file, p);
        layout.SizeFields.Add((p, 4, "layer count"));
        p += 4;
        for (int i = 0; i < layers; i++)
        {
            layout.SizeFields.Add((p, 1, $"layer {i} kind length"));
            p += 1 + file[p];
            layout.SizeFields.Add((p, 4, $"layer {i} block length"));
            int end = p + 4 + (int)U32(file, p);
            p = layout.Layer(file, p + 4, i, elementSize);
            p.Should().Be(end, $"layer {i}'s block must be walked exactly");
        }

        p.Should().Be(file.Length - 4, "the walk must end at the checksum");
        return layout;
    }

    private int Layer(byte[] file, int p, int layer, int elementSize)
    {
        SizeFields.Add((p, 4, $"layer {layer} setting count"));
        uint settings = U32(file, p);
        p += 4;
        for (int s = 0; s < settings; s++)
        {
            string name = Name(file, ref p, $"layer {layer} setting {s}");
            byte type = file[p++];
            Settings[$"{layer}/{name}"] = p;
            p += type switch
            {
                1 or 2 => 8,
                3 => 1,
                4 => 2 + BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(p)),
                _ => 4 + (8 * (int)U32(file, p)),
            };
        }

        SizeFields.Add((p, 4, $"layer {layer} parameter count"));
        uint parameters = U32(file, p);
        p += 4;
        for (int k = 0; k < parameters; k++)
        {
            string name = Name(file, ref p, $"layer {layer} parameter {k}");
            Parameters[$"{layer}/{name}"] = p;
            SizeFields.Add((p, 4, $"layer {layer} {name} rows"));
            SizeFields.Add((p + 4, 4, $"layer {layer} {name} columns"));
            p += 8 + (int)(U32(file, p) * U32(file, p + 4) * elementSize);
        }

        SizeFields.Add((p, 4, $"layer {layer} buffer count"));
        uint buffers = U32(file, p);
        p += 4;
        for (int b = 0; b < buffers; b++)
        {
            string name = Name(file, ref p, $"layer {layer} buffer {b}");
            int width = file[p++] == 2 ? 8 : elementSize;
            SizeFields.Add((p, 4, $"layer {layer} {name} length"));
            int length = (int)U32(file, p);
            Buffers[$"{layer}/{name}"] = p + 4;
            p += 4 + (length * width);
        }

        return p;
    }

    private string Name(byte[] file, ref int p, string what)
    {
        SizeFields.Add((p, 1, $"{what} name length"));
        string name = Encoding.ASCII.GetString(file, p + 1, file[p]);
        p += 1 + file[p];
        return name;
    }

    private static uint U32(byte[] file, int p) => BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(p));
}
