using NeuralNet.Data;

namespace NeuralNet.Tests.Data;

/// <summary>Where the tests find the sequence data sets' Debian packages (the library itself has no default folder).</summary>
internal static class SequenceData
{
    /// <summary>Where Debian's <c>wamerican</c>, <c>wfrench</c>, … put the word lists.</summary>
    public const string WordListDirectory = "/usr/share/dict";

    /// <summary>Where Debian's <c>fortunes</c> and <c>fortunes-min</c> put the fortune files.</summary>
    public const string FortunesDirectory = "/usr/share/games/fortunes";

    public static bool WordListsInstalled { get; } = WordLanguage.Exists(WordListDirectory);

    public static bool FortunesInstalled { get; } = Fortunes.Exists(FortunesDirectory);

    /// <summary>The published word-language data set, built once for all tests that need it (it reads ~110 MB of lists).</summary>
    public static Lazy<WordLanguageDataset> WordLanguageDataset { get; } = new(() => WordLanguage.Load(WordListDirectory));

    /// <summary>The published fortunes corpus, read once.</summary>
    public static Lazy<CharacterCorpus> FortunesCorpus { get; } = new(() => Fortunes.Load(FortunesDirectory));

    /// <summary>Why a test of an absent package is skipped, or <see langword="null"/> to run it: in CI (CI=true) it never skips.</summary>
    public static string? SkipReason(bool installed, bool inCi, string packages, string directory) =>
        installed || inCi
            ? null
            : $"{packages} not installed (looked in {directory}); install with `sudo apt-get install {packages}`. In CI (CI=true) this test never skips.";
}

/// <summary>A fact that needs the 12 Debian word lists; skipped when they are absent, except in CI, where it fails.</summary>
public sealed class WordListsFactAttribute : FactAttribute
{
    public WordListsFactAttribute()
    {
        Skip = SequenceData.SkipReason(SequenceData.WordListsInstalled, FashionMnistData.InCi, string.Join(' ', WordLanguage.PackageNames), SequenceData.WordListDirectory);
    }
}

/// <summary>A fact that needs Debian's fortune files; skipped when they are absent, except in CI, where it fails.</summary>
public sealed class FortunesFactAttribute : FactAttribute
{
    public FortunesFactAttribute()
    {
        Skip = SequenceData.SkipReason(SequenceData.FortunesInstalled, FashionMnistData.InCi, "fortunes fortunes-min", SequenceData.FortunesDirectory);
    }
}
