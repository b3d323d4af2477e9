using System.Text;
using NeuralNet.Data;

namespace NeuralNet.Tests.Data;

/// <summary>Twelve tiny word lists under the Debian names in a temporary folder; each has 8 words of its own by default.</summary>
public sealed class WordListFolder : IDisposable
{
    private readonly TempFiles files = new();

    public WordListFolder()
    {
        for (int label = 0; label < WordLanguage.FileNames.Count; label++)
        {
            string code = WordLanguage.LanguageCodes[label];
            WriteUtf8(label, string.Concat("abcdefgh".Select(letter => $"{code}{letter}{letter}{letter}\n")));
        }
    }

    public string Directory => files.Directory;

    public void WriteUtf8(int label, string text) => Write(label, new UTF8Encoding(false).GetBytes(text));

    public void Write(int label, byte[] bytes) => files.Write(WordLanguage.FileNames[label], bytes);

    /// <summary>The words the data set kept for <paramref name="label"/>, training then test.</summary>
    public static IEnumerable<string> WordsOf(WordLanguageDataset dataset, int label) =>
        dataset.Training.Words.Where((_, i) => dataset.Training.Labels[i] == label)
            .Concat(dataset.Test.Words.Where((_, i) => dataset.Test.Labels[i] == label));

    public void Dispose() => files.Dispose();
}
