namespace NeuralNet.Data;

/// <summary>Reads one word list by the word-language recipe (<see cref="WordLanguage"/>): decoding, NFC, lowercase, filter.</summary>
internal static class WordListReader
{
    /// <summary>The distinct words of the list at <paramref name="path"/> that pass the filter.</summary>
    public static HashSet<string> ReadWords(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        string text = StrictText.TryDecodeUtf8(bytes, out _) ?? StrictText.DecodeLatin1(bytes);
        var words = new HashSet<string>(StringComparer.Ordinal);
        ReadOnlySpan<char> all = text;
        int lineNumber = 0;
        foreach (Range range in all.Split('\n'))
        {
            lineNumber++;
            ReadOnlySpan<char> line = all[range];
            if (line.EndsWith('\r'))
            {
                line = line[..^1];
            }

            // A line in NFC keeps its length through lowercasing (char by char), so most lines are rejected unread.
            bool surelyNfc = TextNormalization.IsSurelyNfc(line);
            if (surelyNfc && (line.Length < WordLanguage.MinWordLength || line.Length > WordLanguage.MaxWordLength))
            {
                continue;
            }

            string word = surelyNfc ? line.ToString() : TextNormalization.ToNfc(line.ToString(), $"{path}: line {lineNumber}");
            word = word.ToLowerInvariant();
            if (word.Length >= WordLanguage.MinWordLength && word.Length <= WordLanguage.MaxWordLength && IsAllLetters(word))
            {
                words.Add(word);
            }
        }

        return words;
    }

    private static bool IsAllLetters(string word)
    {
        foreach (char c in word)
        {
            if (!char.IsLetter(c))
            {
                return false;
            }
        }

        return true;
    }
}
