namespace NeuralNet.Data;

/// <summary>
/// The word-language data set: which of 12 languages a word comes from, built byte for byte reproducibly from the
/// Debian word lists (<c>wamerican</c>, <c>wfrench</c>, … <c>wcatalan</c>): 5,000 training and 1,000 test words per
/// language, labelled 0–11 (<see cref="LanguageCodes"/>).
/// </summary>
/// <remarks>
/// <para>The recipe, for every list in <see cref="FileNames"/> order: decode as strict UTF-8, or as ISO-8859-1 if that
/// fails (<c>swedish</c> and <c>bokmaal</c>); split on <c>\n</c> (a trailing <c>\r</c> dropped); NFC-normalize, then
/// <see cref="string.ToLowerInvariant"/>; keep words of 3–16 UTF-16 code units that are all letters
/// (<see cref="char.IsLetter(char)"/>), once each. A word in more than one language's set is dropped from all of them.
/// Each language's words are sorted ordinally and shuffled (Fisher–Yates) by a fresh
/// <c>new SplitMix64(ShuffleSeed)</c>; the first 5,000 are training words, the next 1,000 test words.</para>
/// <para>Install the lists on Debian or Ubuntu with
/// <c>sudo apt-get install wamerican wfrench wngerman witalian wspanish wportuguese wdutch wpolish wswedish wnorwegian wdanish wcatalan</c>;
/// they land in <c>/usr/share/dict</c>, which the caller passes. <see cref="Load"/> checks the SHA-256 of the
/// result against the published one (<see cref="TrainingSha256"/>, <see cref="TestSha256"/>).</para>
/// </remarks>
public static class WordLanguage
{
    /// <summary>Shortest word kept, in UTF-16 code units.</summary>
    public const int MinWordLength = 3;

    /// <summary>Longest word kept, in UTF-16 code units: the rows of an id matrix.</summary>
    public const int MaxWordLength = 16;

    /// <summary>Training words per language in the published data set.</summary>
    public const int TrainingWordsPerLanguage = 5000;

    /// <summary>Test words per language in the published data set.</summary>
    public const int TestWordsPerLanguage = 1000;

    /// <summary>The seed of each language's <see cref="SplitMix64"/> shuffle.</summary>
    public const ulong ShuffleSeed = 20261130;

    /// <summary>The file name of the training words as TSV (<c>word&lt;TAB&gt;code&lt;LF&gt;</c>, UTF-8).</summary>
    public const string TrainingFileName = "wordlang-train.tsv";

    /// <summary>The file name of the test words as TSV.</summary>
    public const string TestFileName = "wordlang-test.tsv";

    /// <summary>SHA-256 (lowercase hex) of the published <see cref="TrainingFileName"/>: 60,000 rows, 878,996 bytes.</summary>
    public const string TrainingSha256 = "0d38c3455c673100edf914208d1eb0d3e39449b8ce359d49df4df6e0c1f7af1b";

    /// <summary>SHA-256 (lowercase hex) of the published <see cref="TestFileName"/>: 12,000 rows, 176,176 bytes.</summary>
    public const string TestSha256 = "2613d765f008179fcfaacceb87510afc215a442f934ba2966d54e236f1d8af97";

    /// <summary>The language codes, indexed by label: en fr de it es pt nl pl sv nb da ca.</summary>
    public static IReadOnlyList<string> LanguageCodes { get; } = ["en", "fr", "de", "it", "es", "pt", "nl", "pl", "sv", "nb", "da", "ca"];

    /// <summary>The word-list file of each language, indexed by label (Norwegian Bokmål's is <c>bokmaal</c>).</summary>
    public static IReadOnlyList<string> FileNames { get; } =
        ["american-english", "french", "ngerman", "italian", "spanish", "portuguese", "dutch", "polish", "swedish", "bokmaal", "danish", "catalan"];

    /// <summary>The Debian package of each language's list, indexed by label.</summary>
    public static IReadOnlyList<string> PackageNames { get; } =
        ["wamerican", "wfrench", "wngerman", "witalian", "wspanish", "wportuguese", "wdutch", "wpolish", "wswedish", "wnorwegian", "wdanish", "wcatalan"];

    /// <summary>Whether all 12 lists (<see cref="FileNames"/>) are in <paramref name="directory"/>.</summary>
    /// <param name="directory">The folder of the word lists (on Debian, <c>/usr/share/dict</c>).</param>
    public static bool Exists(string directory) => FileNames.All(name => File.Exists(Path.Combine(directory, name)));

    /// <summary>
    /// Builds the published data set from the lists in <paramref name="directory"/> and checks that its TSV bytes have
    /// the published SHA-256s: 5,000 training and 1,000 test words per language, vocabulary of 63 ids.
    /// </summary>
    /// <param name="directory">The folder of the 12 word lists (on Debian, <c>/usr/share/dict</c>).</param>
    /// <exception cref="FileNotFoundException">A list is missing; the message says which package installs it.</exception>
    /// <exception cref="DataFileException">A list has too few words, or the result's SHA-256 is not the published one (other versions of the lists).</exception>
    /// <exception cref="NotSupportedException">A word needs NFC normalization and the process runs in globalization-invariant mode.</exception>
    public static WordLanguageDataset Load(string directory)
    {
        WordLanguageDataset dataset = Build(directory, TrainingWordsPerLanguage, TestWordsPerLanguage);
        Verify(directory, TrainingFileName, dataset.Training.Sha256(), TrainingSha256);
        Verify(directory, TestFileName, dataset.Test.Sha256(), TestSha256);
        return dataset;
    }

    /// <summary>
    /// Builds a data set by the published recipe with other split sizes and without the SHA-256 check (any word lists
    /// in the 12 files' names work, for example small ones for a quick experiment).
    /// </summary>
    /// <param name="directory">The folder of the 12 word lists.</param>
    /// <param name="trainingWordsPerLanguage">Training words per language, at least 1.</param>
    /// <param name="testWordsPerLanguage">Test words per language, at least 0.</param>
    /// <exception cref="FileNotFoundException">A list is missing.</exception>
    /// <exception cref="DataFileException">A list has fewer than <c>trainingWordsPerLanguage + testWordsPerLanguage</c> words left after filtering.</exception>
    /// <exception cref="NotSupportedException">A word needs NFC normalization and the process runs in globalization-invariant mode.</exception>
    public static WordLanguageDataset Build(string directory, int trainingWordsPerLanguage, int testWordsPerLanguage)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(trainingWordsPerLanguage);
        ArgumentOutOfRangeException.ThrowIfNegative(testWordsPerLanguage);
        int needed = checked(trainingWordsPerLanguage + testWordsPerLanguage);
        string[] paths = [.. FileNames.Select((name, label) => ListPath(directory, label))];
        var reader = new WordListReader(paths.Sum(path => new FileInfo(path).Length));
        for (int label = 0; label < paths.Length; label++)
        {
            reader.Read(paths[label], label);
        }

        List<string>[] ownWords = reader.OwnWords(paths.Length);
        var training = new List<(string Word, int Label)>(trainingWordsPerLanguage * paths.Length);
        var test = new List<(string Word, int Label)>(testWordsPerLanguage * paths.Length);
        for (int label = 0; label < paths.Length; label++)
        {
            string[] words = [.. ownWords[label]];
            if (words.Length < needed)
            {
                throw new DataFileException(paths[label], $"only {words.Length} words of {MinWordLength}–{MaxWordLength} letters are in no other language's list; the split needs {needed} ({trainingWordsPerLanguage} training + {testWordsPerLanguage} test).");
            }

            Array.Sort(words, StringComparer.Ordinal);
            new SplitMix64(ShuffleSeed).Shuffle(words.AsSpan());
            training.AddRange(words.Take(trainingWordsPerLanguage).Select(word => (word, label)));
            test.AddRange(words.Skip(trainingWordsPerLanguage).Take(testWordsPerLanguage).Select(word => (word, label)));
        }

        var vocabulary = CharacterVocabulary.WithPaddingAndUnknown(training.Select(row => row.Word));
        return new WordLanguageDataset(
            new LabeledWords([.. training.Select(row => row.Word)], [.. training.Select(row => row.Label)], LanguageCodes, vocabulary, MaxWordLength),
            new LabeledWords([.. test.Select(row => row.Word)], [.. test.Select(row => row.Label)], LanguageCodes, vocabulary, MaxWordLength));
    }

    private static string ListPath(string directory, int label)
    {
        string path = Path.Combine(directory, FileNames[label]);
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException(
                $"The {LanguageCodes[label]} word list {FileNames[label]} (Debian package {PackageNames[label]}) is not in {directory}. Install the 12 lists with `sudo apt-get install {string.Join(' ', PackageNames)}` and pass their folder (Debian's is /usr/share/dict).",
                path);
    }

    private static void Verify(string directory, string fileName, string actual, string expected)
    {
        if (actual != expected)
        {
            throw new DataFileException(directory, $"the word lists give a {fileName} with SHA-256 {actual}, not the published {expected}: they are not the versions the data set was fixed with (Debian 12: wamerican 2020.12.07-2, wfrench 1.2.7-2, wngerman 20161207-11, witalian 1.10, wspanish 1.0.30, wportuguese 20220621-1, wdutch 2.20.19-2, wpolish 20220301-1, wswedish 1.4.5-3, wnorwegian 2.2-4, wdanish 1.6.36-14, wcatalan 0.20111230b-14). WordLanguage.Build makes a data set from other lists without the check.");
        }
    }
}
