using System.Text;
using System.Text.Unicode;

namespace NeuralNet.Data;

/// <summary>Decodes whole text files exactly: strict UTF-8 (an invalid byte is an error, never U+FFFD), or ISO-8859-1.</summary>
internal static class StrictText
{
    /// <summary>Decodes <paramref name="bytes"/> as strict UTF-8 (a byte order mark is kept as U+FEFF), or returns <see langword="null"/> with the offset of the first invalid byte.</summary>
    public static string? TryDecodeUtf8(byte[] bytes, out long invalidAt)
    {
        if (Utf8.IsValid(bytes))
        {
            invalidAt = -1;
            return Encoding.UTF8.GetString(bytes); // exact on valid input; GetString keeps a byte order mark
        }

        // Only to find where: decoding stops at the first invalid sequence.
        Utf8.ToUtf16(bytes, new char[bytes.Length], out int read, out _, replaceInvalidSequences: false, isFinalBlock: true);
        invalidAt = read;
        return null;
    }

    /// <summary>Decodes the file at <paramref name="path"/> as strict UTF-8.</summary>
    /// <exception cref="DataFileException">The file is not valid UTF-8; the message gives the byte offset.</exception>
    public static string ReadUtf8(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        return TryDecodeUtf8(bytes, out long invalidAt)
            ?? throw new DataFileException(path, invalidAt, $"the file is not valid UTF-8 (the sequence starting with byte 0x{bytes[invalidAt]:X2} is invalid).");
    }

    /// <summary>Decodes ISO-8859-1: every byte is the code point of the same value.</summary>
    public static string DecodeLatin1(byte[] bytes) => Encoding.Latin1.GetString(bytes);
}
