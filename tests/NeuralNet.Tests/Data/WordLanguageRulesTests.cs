using System.Text;
using NeuralNet.Data;

namespace NeuralNet.Tests.Data;

/// <summary>Each rule of the word-language recipe on tiny synthetic lists (label 0 = en, 8 = sv, …), without the Debian packages.</summary>
public sealed class WordLanguageRulesTests : IDisposable
{
    private const int En = 0;
    private const int De = 2;
    private const int Sv = 8;
    private readonly WordListFolder lists = new();

    public void Dispose() => lists.Dispose();

    private WordLanguageDataset Build(int training = 3, int test = 1) => WordLanguage.Build(lists.Directory, training, test);

    [Fact]
    public void Build_InvalidUtf8_DecodesTheWholeListAsLatin1()
    {
        // "höst" in ISO-8859-1 (ö = 0xF6), and "fête" as UTF-8 bytes (ê = C3 AA): the invalid 0xF6 makes the whole
        // file Latin-1, so the UTF-8 pair reads as two Latin-1 letters, Ã and ª.
        lists.Write(Sv, [(byte)'h', 0xF6, .. "st\nsvaaa\nsvbbb\nf"u8, 0xC3, 0xAA, .. "te\n"u8]);

        WordListFolder.WordsOf(Build(), Sv).Should().BeEquivalentTo("höst", "svaaa", "svbbb", "fãªte");
    }

    [Fact]
    public void Build_ValidUtf8_IsReadAsUtf8()
    {
        lists.WriteUtf8(Sv, "höst\nsjö\nsvaaa\nsvbbb\n");

        WordListFolder.WordsOf(Build(), Sv).Should().BeEquivalentTo("höst", "sjö", "svaaa", "svbbb");
    }

    [Fact]
    public void Build_UppercaseAndDuplicates_AreLoweredAndKeptOnce()
    {
        lists.WriteUtf8(De, "Äpfel\näpfel\nÄPFEL\nHaus\nhaus\nStraße\nSTRASSE\n");

        // ToLowerInvariant maps characters one to one: "STRASSE" becomes "strasse", a word of its own.
        WordListFolder.WordsOf(Build(training: 3, test: 1), De).Should().BeEquivalentTo("äpfel", "haus", "straße", "strasse");
    }

    [Fact]
    public void Build_LengthAndLetterFilter_KeepsThreeToSixteenLettersOnly()
    {
        lists.WriteUtf8(En, "ab\nabc\nabcdefghijklmnop\nabcdefghijklmnopq\nit's\nx-ray\nabc1\nhello world\n\nzzz\n");

        WordListFolder.WordsOf(Build(training: 2, test: 1), En).Should().BeEquivalentTo("abc", "abcdefghijklmnop", "zzz");
    }

    [Fact]
    public void Build_TrailingCarriageReturn_IsDropped()
    {
        lists.WriteUtf8(En, "alpha\r\nbeta\r\ngamma\r\ndelta\r\n");

        WordListFolder.WordsOf(Build(), En).Should().BeEquivalentTo("alpha", "beta", "gamma", "delta");
    }

    [Fact]
    public void Build_WordInTwoLanguages_IsDroppedFromBoth()
    {
        lists.WriteUtf8(En, "hand\nenaaa\nenbbb\nenccc\nenddd\n");
        lists.WriteUtf8(De, "Hand\ndeaaa\ndebbb\ndeccc\ndeddd\n");

        WordLanguageDataset dataset = Build();

        WordListFolder.WordsOf(dataset, En).Should().BeEquivalentTo("enaaa", "enbbb", "enccc", "enddd");
        WordListFolder.WordsOf(dataset, De).Should().BeEquivalentTo("deaaa", "debbb", "deccc", "deddd");
    }

    [Fact]
    public void Build_Order_IsTheOrdinalSortShuffledByAFreshSplitMix64PerLanguage()
    {
        // Expected from check.py's definitions: sorted by UTF-16 code units (ä and é after z, unlike a culture's
        // order), then Fisher–Yates with a new SplitMix64(20261130).
        lists.WriteUtf8(En, "zebra\närger\napple\néclair\nbanana\nzoo\nmango\n");
        lists.WriteUtf8(De, "zebrax\närgerx\napplex\néclairx\nbananax\nzoox\nmangox\n");

        WordLanguageDataset dataset = Build(training: 5, test: 2);

        string[] expected = ["apple", "zoo", "zebra", "mango", "ärger", "éclair", "banana"];
        WordListFolder.WordsOf(dataset, En).Should().Equal(expected);
        WordListFolder.WordsOf(dataset, De).Should().Equal(expected.Select(w => w + "x"),
            "each language's shuffle starts from the same seed, so the same sorted order gives the same permutation");
    }

    [Fact]
    public void Build_Splits_AreLanguagesInLabelOrderTrainingThenTest()
    {
        WordLanguageDataset dataset = Build(training: 3, test: 1);

        dataset.Training.Count.Should().Be(36);
        dataset.Test.Count.Should().Be(12);
        dataset.Training.Labels.Should().Equal(Enumerable.Range(0, 12).SelectMany(label => Enumerable.Repeat(label, 3)));
        dataset.Test.Labels.Should().Equal(Enumerable.Range(0, 12));
        dataset.Training.Words.Intersect(dataset.Test.Words).Should().BeEmpty();
        dataset.LanguageCodes.Should().Equal("en", "fr", "de", "it", "es", "pt", "nl", "pl", "sv", "nb", "da", "ca");
    }

    [Fact]
    public void Vocabulary_IsTheTrainingCharactersAfterPaddingAndUnknown()
    {
        // Four sorted words shuffle to [w3, w0, w1, w2] (check.py's SplitMix64(20261130)), so "enqqq" is the test word
        // and 'q' appears in no training word.
        lists.WriteUtf8(En, "enaaa\nenbbb\nenqqq\nenzzz\n");

        WordLanguageDataset dataset = Build(training: 3, test: 1);

        dataset.Test.Words[0].Should().Be("enqqq");
        string trainingCharacters = new([.. dataset.Training.Words.SelectMany(w => w).Distinct().Order()]);
        dataset.Vocabulary.Characters.Should().Equal(trainingCharacters);
        dataset.Vocabulary.Count.Should().Be(trainingCharacters.Length + 2);
        dataset.Vocabulary.Contains('q').Should().BeFalse();
        dataset.Test.Vocabulary.Should().BeSameAs(dataset.Vocabulary);
        dataset.Vocabulary.Encode("enqqq").Should().Equal(dataset.Vocabulary.IdOf('e'), dataset.Vocabulary.IdOf('n'), 1, 1, 1);
    }

    [Fact]
    public void ToTsv_IsWordTabCodeLinesInUtf8WithoutBom()
    {
        lists.WriteUtf8(Sv, "höst\nsvaaa\nsvbbb\nsvccc\n");
        WordLanguageDataset dataset = Build(training: 3, test: 1);

        byte[] tsv = dataset.Training.ToTsv();

        string expected = string.Concat(dataset.Training.Words.Select((w, i) => $"{w}\t{dataset.LanguageCodes[dataset.Training.Labels[i]]}\n"));
        tsv.Should().Equal(new UTF8Encoding(false).GetBytes(expected));
        tsv[0].Should().NotBe(0xEF, "no byte order mark");
        expected.Should().Contain("höst\tsv\n");
        dataset.Training.Sha256().Should().Be(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(tsv)));
    }

    [Fact]
    public void WriteTsv_WritesBothFilesUnderThePublishedNames()
    {
        WordLanguageDataset dataset = Build();
        using var output = new TempFiles();

        dataset.WriteTsv(output.Directory);

        File.ReadAllBytes(Path.Combine(output.Directory, "wordlang-train.tsv")).Should().Equal(dataset.Training.ToTsv());
        File.ReadAllBytes(Path.Combine(output.Directory, "wordlang-test.tsv")).Should().Equal(dataset.Test.ToTsv());
    }

    [Fact]
    public void Build_NonNfcWord_IsComposedOrRejectedWithoutIcu()
    {
        // "e" + COMBINING ACUTE ACCENT: NFC makes it "é" (one letter, so the word passes the letter filter).
        lists.WriteUtf8(En, "cafe\u0301\nenaaa\nenbbb\nenccc\n");

        if (TextNormalization.RuntimeNormalizes)
        {
            WordListFolder.WordsOf(Build(), En).Should().Contain("café");
        }
        else
        {
            // The test project runs in globalization-invariant mode, where .NET cannot normalize: a clear error, not
            // a silently different word list.
            ((Action)(() => Build())).Should().Throw<NotSupportedException>()
                .WithMessage($"*{WordLanguage.FileNames[En]}: line 1: 'cafe\u0301' needs Unicode normalization (NFC)*globalization-invariant mode*");
        }
    }

    [Fact]
    public void Build_MissingList_NamesTheFileAndItsPackage()
    {
        File.Delete(Path.Combine(lists.Directory, "bokmaal"));

        Action build = () => Build();

        WordLanguage.Exists(lists.Directory).Should().BeFalse();
        build.Should().Throw<FileNotFoundException>().WithMessage("The nb word list bokmaal (Debian package wnorwegian) is not in*sudo apt-get install wamerican*wcatalan*");
    }

    [Fact]
    public void Build_TooFewWordsLeft_NamesTheList()
    {
        lists.WriteUtf8(De, "deaaa\nenaaa\nab\n");

        Action build = () => Build(training: 2, test: 1);

        build.Should().Throw<DataFileException>()
            .Where(e => e.FilePath == Path.Combine(lists.Directory, "ngerman"))
            .WithMessage("*ngerman: only 1 words of 3–16 letters are in no other language's list; the split needs 3 (2 training + 1 test).");
    }

    [Fact]
    public void Load_ListsOtherThanThePublishedOnes_FailTheSha256Check()
    {
        Action load = () => WordLanguage.Load(lists.Directory);

        // Tiny lists are too short for 5,000 + 1,000 words; with enough words the checksum is what fails.
        load.Should().Throw<DataFileException>().WithMessage("*the split needs 6000*");
        for (int label = 0; label < 12; label++)
        {
            string code = WordLanguage.LanguageCodes[label];
            lists.WriteUtf8(label, string.Concat(Enumerable.Range(0, 6000).Select(i => code + Letters(i) + "\n")));
        }

        load.Should().Throw<DataFileException>()
            .Where(e => e.FilePath == lists.Directory)
            .WithMessage($"{lists.Directory}: the word lists give a wordlang-train.tsv with SHA-256 *, not the published 0d38c3455c673100edf914208d1eb0d3e39449b8ce359d49df4df6e0c1f7af1b*");
    }

    private static string Letters(int number) => string.Concat(number.ToString("D4", System.Globalization.CultureInfo.InvariantCulture).Select(d => (char)('a' + (d - '0'))));
}
