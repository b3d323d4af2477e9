using System.Security.Cryptography;
using System.Text;

namespace NeuralNet.Data;

/// <summary>
/// The fortunes corpus: the 43 English fortune files of Debian's <c>fortunes</c> and <c>fortunes-min</c> packages as one
/// text of 2,576,669 characters, a byte-reproducible corpus for character-level language models.
/// </summary>
/// <remarks>
/// <para>The recipe: every file of the folder whose name does not end in <c>.dat</c> or <c>.u8</c> (the <c>.u8</c>
/// names link to the plain files), in ordinal order of the names, decoded as strict UTF-8 as it is and joined with
/// <c>"\n"</c>. The vocabulary is every character of the text (113, including BEL, BS and some double-encoded UTF-8,
/// all kept); training is the first ⌊9N/10⌋ characters, validation the rest (<see cref="CharacterCorpus"/>).</para>
/// <para>Training batches: <see cref="BatchSize"/> windows of <see cref="WindowLength"/> per step, drawn by one
/// <see cref="SplitMix64"/> (<see cref="TokenSequence.SampleBatch{T}"/>). Validation: <see cref="ValidationBatchCount"/>
/// fixed batches drawn once from <c>new SplitMix64(ValidationSeed)</c> (<see cref="ValidationBatches{T}"/>); the score
/// is the mean batch cross-entropy, in nats and in bits per character (nats / ln 2).</para>
/// <para>Install on Debian or Ubuntu with <c>sudo apt-get install fortunes fortunes-min</c>; the files land in
/// <c>/usr/share/games/fortunes</c>, which the caller passes.</para>
/// </remarks>
public static class Fortunes
{
    /// <summary>The published corpus's length in characters (UTF-16 code units; all are in the BMP).</summary>
    public const int CharacterCount = 2576669;

    /// <summary>SHA-256 (lowercase hex) of the published corpus's UTF-8 bytes (2,576,716 bytes).</summary>
    public const string Sha256 = "061156136416eef1fd905aeef7c15d0465545a15d7a2fd24b602309130db1093";

    /// <summary>The number of distinct characters of the published corpus: the vocabulary size.</summary>
    public const int VocabularySize = 113;

    /// <summary>The length of an input window (and of its target window, shifted by one character).</summary>
    public const int WindowLength = 128;

    /// <summary>Windows per batch, in training and validation.</summary>
    public const int BatchSize = 32;

    /// <summary>The number of fixed validation batches.</summary>
    public const int ValidationBatchCount = 50;

    /// <summary>The seed of the <see cref="SplitMix64"/> that draws the validation batches.</summary>
    public const ulong ValidationSeed = 20261130;

    /// <summary>The 43 file names of the published corpus, in ordinal order.</summary>
    public static IReadOnlyList<string> FileNames { get; } =
    [
        "art", "ascii-art", "computers", "cookie", "debian", "definitions", "disclaimer", "drugs", "education", "ethnic",
        "food", "fortunes", "goedel", "humorists", "kids", "knghtbrd", "law", "linux", "linuxcookie", "literature", "love",
        "magic", "medicine", "men-women", "miscellaneous", "news", "paradoxum", "people", "perl", "pets", "platitudes",
        "politics", "pratchett", "riddles", "science", "songs-poems", "sports", "startrek", "tao", "translate-me", "wisdom",
        "work", "zippy",
    ];

    /// <summary>Whether all 43 files (<see cref="FileNames"/>) are in <paramref name="directory"/>.</summary>
    /// <param name="directory">The fortune folder (on Debian, <c>/usr/share/games/fortunes</c>).</param>
    public static bool Exists(string directory) => FileNames.All(name => File.Exists(Path.Combine(directory, name)));

    /// <summary>
    /// Reads the published corpus and checks its SHA-256: 2,576,669 characters, 113 in the vocabulary.
    /// </summary>
    /// <param name="directory">The fortune folder (on Debian, <c>/usr/share/games/fortunes</c>).</param>
    /// <exception cref="DirectoryNotFoundException">The folder is missing; the message says how to install the files.</exception>
    /// <exception cref="FileNotFoundException">The folder has no fortune files.</exception>
    /// <exception cref="DataFileException">A file is not valid UTF-8 (the message gives the byte), or the text's SHA-256 is not the published one.</exception>
    public static CharacterCorpus Load(string directory)
    {
        string text = ReadText(directory);
        string sha256 = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
        if (sha256 != Sha256)
        {
            throw new DataFileException(directory, $"the fortune files give {text.Length} characters with SHA-256 {sha256}, not the published {CharacterCount} characters with {Sha256}: they are not the versions the corpus was fixed with (Debian 12: fortunes and fortunes-min 1:1.99.1-7.3). Fortunes.ReadText and new CharacterCorpus(text) make a corpus from other files without the check.");
        }

        return new CharacterCorpus(text);
    }

    /// <summary>
    /// The corpus text by the published recipe, without the SHA-256 check: the files not ending in <c>.dat</c> or
    /// <c>.u8</c>, in ordinal order of their names, each strict UTF-8, joined with <c>"\n"</c>.
    /// </summary>
    /// <param name="directory">The fortune folder.</param>
    /// <exception cref="DirectoryNotFoundException">The folder is missing.</exception>
    /// <exception cref="FileNotFoundException">The folder has no fortune files.</exception>
    /// <exception cref="DataFileException">A file is not valid UTF-8; the message names it and gives the byte.</exception>
    public static string ReadText(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"The fortune folder {directory} does not exist. Install the files with `sudo apt-get install fortunes fortunes-min` and pass their folder (Debian's is /usr/share/games/fortunes).");
        }

        string[] paths = [.. Directory.EnumerateFiles(directory)
            .Where(path => !path.EndsWith(".dat", StringComparison.Ordinal) && !path.EndsWith(".u8", StringComparison.Ordinal))
            .OrderBy(Path.GetFileName, StringComparer.Ordinal)];
        if (paths.Length == 0)
        {
            throw new FileNotFoundException($"{directory} has no fortune files (names not ending in .dat or .u8). Install them with `sudo apt-get install fortunes fortunes-min`.", directory);
        }

        return string.Join("\n", paths.Select(StrictText.ReadUtf8));
    }

    /// <summary>
    /// The <see cref="ValidationBatchCount"/> fixed validation batches of <see cref="BatchSize"/> windows of
    /// <see cref="WindowLength"/>, drawn once from <c>new SplitMix64(ValidationSeed)</c> over the validation part.
    /// </summary>
    /// <param name="corpus">The corpus (<see cref="Load"/>).</param>
    /// <typeparam name="T">Element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    public static IReadOnlyList<TokenWindowBatch<T>> ValidationBatches<T>(CharacterCorpus corpus)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(corpus);
        var random = new SplitMix64(ValidationSeed);
        return [.. Enumerable.Range(0, ValidationBatchCount).Select(_ => corpus.Validation.SampleBatch<T>(random, BatchSize, WindowLength))];
    }
}
