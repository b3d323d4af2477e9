using System.Text;
using System.Text.Unicode;

namespace NeuralNet.Data;

/// <summary>Quotes input text in error messages: a bounded prefix, never the whole (possibly huge) value.</summary>
internal static class InputText
{
    /// <summary>At most this many characters of a value are quoted; a longer value ends with "…".</summary>
    public const int MaxQuotedChars = 40;

    /// <summary>
    /// <c>'value'</c> for UTF-8 input, at most <see cref="MaxQuotedChars"/> characters (then <c>…</c>), control
    /// characters escaped (<c>\n</c>, <c>\t</c>, <c>\u0000</c>) and invalid UTF-8 shown as U+FFFD. Only the quoted
    /// prefix is decoded, so the cost does not depend on the length of the value.
    /// </summary>
    public static string Quote(ReadOnlySpan<byte> utf8)
    {
        Span<char> chars = stackalloc char[MaxQuotedChars + 1];
        Utf8.ToUtf16(utf8, chars, out int read, out int written, replaceInvalidSequences: true, isFinalBlock: true);
        bool cut = read < utf8.Length || written > MaxQuotedChars;
        if (written > MaxQuotedChars)
        {
            written = MaxQuotedChars;
        }

        if (cut && written > 0 && char.IsHighSurrogate(chars[written - 1]))
        {
            written--; // never split a surrogate pair
        }

        var text = new StringBuilder(written + 8).Append('\'');
        foreach (char c in chars[..written])
        {
            _ = c switch
            {
                '\n' => text.Append("\\n"),
                '\r' => text.Append("\\r"),
                '\t' => text.Append("\\t"),
                _ when char.IsControl(c) => text.Append("\\u").Append(((int)c).ToString("X4", System.Globalization.CultureInfo.InvariantCulture)),
                _ => text.Append(c),
            };
        }

        return text.Append(cut ? "…'" : "'").ToString();
    }
}
