using System.IO.Compression;

namespace NeuralNet.Data;

/// <summary>Recognises gzip data by its magic bytes, so readers accept compressed and raw files alike.</summary>
internal static class Gzip
{
    /// <summary>The first two bytes of every gzip member (RFC 1952).</summary>
    private const byte Id1 = 0x1F;
    private const byte Id2 = 0x8B;

    /// <summary>Whether the file starts with the gzip magic bytes.</summary>
    public static bool IsGzip(string path)
    {
        using FileStream file = File.OpenRead(path);
        return file.ReadByte() == Id1 && file.ReadByte() == Id2;
    }

    /// <summary>
    /// Opens a file for reading, decompressing it when it is gzipped (detected by content, not by name).
    /// </summary>
    public static Stream OpenRead(string path)
    {
        FileStream file = File.OpenRead(path);
        int first = file.ReadByte();
        int second = file.ReadByte();
        file.Position = 0;
        return first == Id1 && second == Id2 ? new GZipStream(file, CompressionMode.Decompress) : file;
    }

    /// <summary>
    /// The uncompressed size modulo 2³² recorded in the gzip trailer (ISIZE, the last four bytes, little-endian),
    /// or <see langword="null"/> when the file is too short to have one.
    /// </summary>
    public static uint? TrailerSize(string path)
    {
        using FileStream file = File.OpenRead(path);
        if (file.Length < 18)
        {
            return null;
        }

        Span<byte> trailer = stackalloc byte[4];
        file.Position = file.Length - 4;
        file.ReadExactly(trailer);
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(trailer);
    }
}
