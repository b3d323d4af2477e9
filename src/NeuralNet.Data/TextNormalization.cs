using System.Text;

namespace NeuralNet.Data;

/// <summary>
/// NFC normalization that gives the same result in every globalization mode. .NET's <see cref="string.Normalize()"/>
/// needs ICU: in globalization-invariant mode (<c>InvariantGlobalization</c>, common in containers) it returns its input
/// unchanged. Most text is already in NFC, which needs no ICU to prove (<see cref="NfcUnstableRanges"/>); only text that
/// could change needs the runtime, and without it that is an error, never a silently different result.
/// </summary>
internal static class TextNormalization
{
    /// <summary>Whether this runtime really normalizes (ICU loaded), probed once.</summary>
    public static bool RuntimeNormalizes { get; } = "e\u0301".Normalize(NormalizationForm.FormC) == "\u00E9";

    /// <summary>Whether <paramref name="text"/> is in NFC without asking the runtime: no character can change under NFC.</summary>
    public static bool IsSurelyNfc(ReadOnlySpan<char> text)
    {
        // Below U+0300 every character is stable and a starter: the common case costs one comparison per character.
        int first = 0;
        while (first < text.Length && text[first] < '\u0300')
        {
            first++;
        }

        if (first == text.Length)
        {
            return true;
        }

        foreach (Rune rune in text[first..].EnumerateRunes())
        {
            if (IsUnstable(rune.Value))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The NFC form of <paramref name="text"/>.</summary>
    /// <param name="text">The text.</param>
    /// <param name="where">Where the text comes from (file and line), for the error message.</param>
    /// <exception cref="NotSupportedException">The text needs normalizing and the runtime runs in globalization-invariant mode.</exception>
    public static string ToNfc(string text, string where)
    {
        if (IsSurelyNfc(text))
        {
            return text;
        }

        if (!RuntimeNormalizes)
        {
            throw new NotSupportedException(
                $"{where}: '{text}' needs Unicode normalization (NFC), which this process cannot do: it runs in globalization-invariant mode (InvariantGlobalization=true or DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1), where .NET does not load ICU. Run it with globalization enabled and ICU installed (e.g. `apt-get install libicu72`).");
        }

        return text.Normalize(NormalizationForm.FormC);
    }

    private static bool IsUnstable(int codePoint)
    {
        ReadOnlySpan<int> pairs = NfcUnstableRanges.Pairs;
        int low = 0, high = (pairs.Length / 2) - 1;
        while (low <= high)
        {
            int middle = (low + high) >>> 1;
            if (codePoint < pairs[2 * middle])
            {
                high = middle - 1;
            }
            else if (codePoint > pairs[(2 * middle) + 1])
            {
                low = middle + 1;
            }
            else
            {
                return true;
            }
        }

        return false;
    }
}
