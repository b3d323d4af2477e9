namespace NeuralNet.Data;

/// <summary>
/// Reads the word lists by the word-language recipe (<see cref="WordLanguage"/>): decoding, NFC, lowercase, filter,
/// and which language owns each word. One dictionary for all lists both removes duplicates within a list and finds
/// the words of more than one list (the lists hold ~7 million distinct words, so this is the hot path).
/// </summary>
internal sealed class WordListReader
{
    /// <summary>The owner of a word that is in more than one list.</summary>
    private const int Shared = -1;

    private readonly Dictionary<string, int> owners;

    /// <summary>Starts with room for the words of lists of <paramref name="totalBytes"/> bytes (lines average more than 10 bytes).</summary>
    public WordListReader(long totalBytes)
    {
        owners = new Dictionary<string, int>((int)Math.Min(totalBytes / 16, 1 << 26), StringComparer.Ordinal);
    }

    /// <summary>Adds the words of the list at <paramref name="path"/> as words of <paramref name="label"/>.</summary>
    public void Read(string path, int label)
    {
        byte[] bytes = File.ReadAllBytes(path);
        string text = StrictText.TryDecodeUtf8(bytes, out _) ?? StrictText.DecodeLatin1(bytes);
        Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> bySpan = owners.GetAlternateLookup<ReadOnlySpan<char>>();
        Span<char> lowered = stackalloc char[WordLanguage.MaxWordLength];
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

            // Text in NFC keeps its length through ToLowerInvariant (char by char), so most lines are judged in place.
            if (!TextNormalization.IsSurelyNfc(line))
            {
                line = TextNormalization.ToNfc(line.ToString(), $"{path}: line {lineNumber}");
            }

            if (line.Length < WordLanguage.MinWordLength || line.Length > WordLanguage.MaxWordLength)
            {
                continue;
            }

            Span<char> word = lowered[..line.Length];
            line.ToLowerInvariant(word);
            if (!IsAllLetters(word))
            {
                continue;
            }

            if (bySpan.TryGetValue(word, out int owner))
            {
                if (owner != label && owner != Shared)
                {
                    bySpan[word] = Shared;
                }
            }
            else
            {
                owners.Add(word.ToString(), label);
            }
        }
    }

    /// <summary>The words of each list that no other list has, indexed by label, in no particular order.</summary>
    public List<string>[] OwnWords(int labelCount)
    {
        var words = new List<string>[labelCount];
        for (int label = 0; label < labelCount; label++)
        {
            words[label] = [];
        }

        foreach ((string word, int owner) in owners)
        {
            if (owner != Shared)
            {
                words[owner].Add(word);
            }
        }

        return words;
    }

    private static bool IsAllLetters(ReadOnlySpan<char> word)
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
