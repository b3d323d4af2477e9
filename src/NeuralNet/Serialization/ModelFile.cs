using System.Numerics;

namespace NeuralNet.Serialization;

/// <summary>Saves and loads networks as model files (content kind 1); see <c>docs/model-format.md</c>.</summary>
internal static class ModelFile
{
    public static byte[] Serialize<T>(Network<T> network)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var payload = new PayloadWriter();
        NetworkCodec.Write(network, payload);
        ClassNameCodec.Write(network, payload);
        return ModelContainer.Build(ContentKind.Model, ElementTypes.Of<T>(), payload);
    }

    public static void Save<T>(Network<T> network, string path, Action<string>? beforeReplace = null)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        AtomicFile.Write(path, Serialize(network), beforeReplace);

    public static Network<T> Load<T>(Stream stream, string source)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        byte[] payload = ModelContainer.Read(stream, source, ContentKind.Model, ElementTypes.Of<T>(), out int version);
        var reader = new PayloadReader(payload, source);
        Network<T> network = NetworkCodec.Read<T>(reader, version);
        if (version >= 2 && reader.Remaining > 0)
        {
            ClassNameCodec.Read(reader, network);
        }

        reader.ExpectEnd("the model payload");
        return network;
    }

    public static Network<T> Load<T>(string path)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        ReadFile(path, stream => Load<T>(stream, path));

    /// <summary>Opens <paramref name="path"/>, parses it, and rejects bytes after the checksum.</summary>
    public static TResult ReadFile<TResult>(string path, Func<Stream, TResult> parse)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        TResult result = parse(stream);

        // A FIFO or /dev/stdin cannot report its length: there, one more byte is enough to know the file goes on.
        bool more = stream.CanSeek ? stream.Length > stream.Position : stream.ReadByte() != -1;
        if (more)
        {
            string count = stream.CanSeek ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{stream.Length - stream.Position:N0} ") : string.Empty;
            throw new ModelFormatException($"{path}: {count}unexpected bytes after the checksum; the file was damaged or appended to.");
        }

        return result;
    }
}
