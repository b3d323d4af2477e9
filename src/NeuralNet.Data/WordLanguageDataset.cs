namespace NeuralNet.Data;

/// <summary>
/// The word-language data set built by <see cref="WordLanguage.Load"/> (or <see cref="WordLanguage.Build"/>): training
/// and test words with their language labels, and the character vocabulary of the training words.
/// </summary>
public sealed class WordLanguageDataset
{
    internal WordLanguageDataset(LabeledWords training, LabeledWords test)
    {
        Training = training;
        Test = test;
    }

    /// <summary>The training words: for labels 0 to 11 in order, each language's words in shuffled order.</summary>
    public LabeledWords Training { get; }

    /// <summary>The test words, in the same layout.</summary>
    public LabeledWords Test { get; }

    /// <summary>
    /// The vocabulary of the training words' characters: id 0 padding, id 1 unknown, then the characters in ordinal
    /// order (63 ids for the published data set). The test words are encoded with it too.
    /// </summary>
    public CharacterVocabulary Vocabulary => Training.Vocabulary;

    /// <summary>The language codes, indexed by label (<see cref="WordLanguage.LanguageCodes"/>).</summary>
    public IReadOnlyList<string> LanguageCodes => Training.ClassNames;

    /// <summary>
    /// Writes <see cref="WordLanguage.TrainingFileName"/> and <see cref="WordLanguage.TestFileName"/> into
    /// <paramref name="directory"/> (created if needed), the bytes the published SHA-256s are of.
    /// </summary>
    /// <param name="directory">The destination folder.</param>
    public void WriteTsv(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory.CreateDirectory(directory);
        Training.WriteTsv(Path.Combine(directory, WordLanguage.TrainingFileName));
        Test.WriteTsv(Path.Combine(directory, WordLanguage.TestFileName));
    }
}
