using System.Security.Cryptography;
using System.Text;
using NeuralNet.Data;

namespace NeuralNet.Tests.Data;

/// <summary>
/// The two published sequence data sets from the installed Debian packages, byte for byte: the SHA-256s and counts of
/// /work/shared/data/sequences/README.md, and window starts computed with its check.py's SplitMix64. Skipped without
/// the packages, except in CI (CI=true), where a missing package fails.
/// </summary>
public sealed class SequenceDataPackageTests
{
    [WordListsFact]
    public void WordLanguageLoad_DebianLists_GiveThePublishedFiles()
    {
        WordLanguageDataset dataset = SequenceData.WordLanguageDataset.Value; // Load itself checks the SHA-256s too
        using var output = new TempFiles();

        dataset.WriteTsv(output.Directory);

        byte[] training = File.ReadAllBytes(Path.Combine(output.Directory, "wordlang-train.tsv"));
        byte[] test = File.ReadAllBytes(Path.Combine(output.Directory, "wordlang-test.tsv"));
        Convert.ToHexStringLower(SHA256.HashData(training)).Should().Be("0d38c3455c673100edf914208d1eb0d3e39449b8ce359d49df4df6e0c1f7af1b");
        Convert.ToHexStringLower(SHA256.HashData(test)).Should().Be("2613d765f008179fcfaacceb87510afc215a442f934ba2966d54e236f1d8af97");
        training.Length.Should().Be(878996);
        test.Length.Should().Be(176176);
        dataset.Training.Count.Should().Be(60000);
        dataset.Test.Count.Should().Be(12000);
    }

    [WordListsFact]
    public void WordLanguageLoad_DebianLists_GiveThePublishedRowsAndVocabulary()
    {
        WordLanguageDataset dataset = SequenceData.WordLanguageDataset.Value;

        dataset.Training.Words.Take(3).Should().Equal("spaceflight", "felony", "missed");
        dataset.Training.Words[5000].Should().Be("oppriment");
        dataset.Training.Labels[5000].Should().Be(1);
        dataset.Test.Words[0].Should().Be("apolitical");
        dataset.Test.Words[^1].Should().Be("amitjanaràs");
        dataset.Vocabulary.Count.Should().Be(63);
        new string([.. dataset.Vocabulary.Characters]).Should().Be("abcdefghijklmnopqrstuvwxyzßàáâãäåæçèéêëìíîïñòóôõöøúûüąćęłńśźż");
        dataset.Test.Words.SelectMany(w => w).Should().OnlyContain(c => dataset.Vocabulary.Contains(c), "no test character is unknown");
        dataset.Training.Lengths.Max().Should().BeLessThanOrEqualTo(16);
    }

    [FortunesFact]
    public void FortunesLoad_DebianFiles_GiveThePublishedCorpus()
    {
        CharacterCorpus corpus = SequenceData.FortunesCorpus.Value;

        corpus.Text.Length.Should().Be(2576669);
        Encoding.UTF8.GetByteCount(corpus.Text).Should().Be(2576716);
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(corpus.Text))).Should().Be("061156136416eef1fd905aeef7c15d0465545a15d7a2fd24b602309130db1093");
        corpus.Vocabulary.Count.Should().Be(113);
        corpus.Vocabulary.Characters[0].Should().Be('\u0007');
        corpus.Vocabulary.Characters[^1].Should().Be('\u00FC');
        corpus.Training.Length.Should().Be(2319002);
        corpus.Validation.Length.Should().Be(257667);
    }

    [FortunesFact]
    public void FortunesValidationBatches_AreTheFiftyFixedBatchesOfCheckPy()
    {
        CharacterCorpus corpus = SequenceData.FortunesCorpus.Value;

        IReadOnlyList<TokenWindowBatch<float>> batches = Fortunes.ValidationBatches<float>(corpus);

        // r = SplitMix64(20261130); 50 × 32 draws of r.next() % (257667 − 128); the SHA-256 is of the starts joined with ",".
        batches.Should().HaveCount(50);
        batches[0].Starts.Take(4).Should().Equal(135237, 224014, 209206, 91796);
        batches[49].Starts[^1].Should().Be(122541);
        string starts = string.Join(",", batches.SelectMany(b => b.Starts));
        Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(starts))).Should().Be("902821a047da6371bb6fec792e6443dbf55e22503e3cd6f84e1f015b2a8fb7fb");
        batches[0].Inputs.RowCount.Should().Be(128);
        batches[0].Inputs.ColumnCount.Should().Be(32);
        corpus.Vocabulary.Decode([.. batches[0].Inputs.Column(0).Take(40).Select(v => (int)v)]).Should().Be(".\n%\nFear is the greatest salesman.\n\t\t-- ");
        batches[0].Targets[0, 0].Should().Be(batches[0].Inputs[1, 0]);
    }

    [FortunesFact]
    public void FortunesTrainingBatches_DrawFromOneSplitMix64()
    {
        CharacterCorpus corpus = SequenceData.FortunesCorpus.Value;
        var random = new SplitMix64(7);

        // r = SplitMix64(7); [r.next() % (2319002 − 128) for _ in range(3)]
        corpus.Training.SampleBatch<double>(random, 2, Fortunes.WindowLength).Starts.Should().Equal(257835, 2070672);
        corpus.Training.SampleBatch<double>(random, 1, Fortunes.WindowLength).Starts.Should().Equal(1502460);
    }

    [Fact]
    public void PackageTests_SkipOnlyWhenThePackagesAreAbsentOutsideCi()
    {
        SequenceData.SkipReason(installed: false, inCi: false, "fortunes fortunes-min", "/x").Should().Contain("sudo apt-get install fortunes fortunes-min");
        SequenceData.SkipReason(installed: false, inCi: true, "fortunes", "/x").Should().BeNull("in CI a missing package must fail, not skip");
        SequenceData.SkipReason(installed: true, inCi: false, "fortunes", "/x").Should().BeNull();
    }
}
