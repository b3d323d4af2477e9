using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Data;

namespace NeuralNet.Tests.Data;

/// <summary>
/// The corpus split and window sampling. Window starts computed with check.py's SplitMix64:
/// <c>r = SplitMix64(20261130); [r.next() % 13 for _ in range(3)]</c> = [5, 6, 7].
/// </summary>
public sealed class CharacterCorpusTests
{
    private const string Text = "hello world, hello!"; // 19 characters: ⌊9·19/10⌋ = 17 for training

    [Fact]
    public void Constructor_SplitsNineToOneAndUsesEveryCharacter()
    {
        var corpus = new CharacterCorpus(Text);

        corpus.Training.Length.Should().Be(17);
        corpus.Validation.Length.Should().Be(2);
        corpus.Vocabulary.Characters.Should().Equal(" !,dehlorw");
        corpus.Vocabulary.Decode(corpus.Training.Ids).Should().Be("hello world, hell");
        corpus.Vocabulary.Decode(corpus.Validation.Ids).Should().Be("o!");
    }

    [Fact]
    public void SampleBatch_DrawsBelowLengthMinusWindowPerColumn_TargetsShiftedByOne()
    {
        var corpus = new CharacterCorpus(Text);

        TokenWindowBatch<float> batch = corpus.Training.SampleBatch<float>(new SplitMix64(20261130), batchSize: 3, windowLength: 4);

        batch.Starts.Should().Equal(5, 6, 7);
        Decode(corpus, batch.Inputs).Should().Equal(" wor", "worl", "orld");
        Decode(corpus, batch.Targets).Should().Equal("worl", "orld", "rld,");
    }

    [Fact]
    public void SampleWindowStart_IsOneBelowDraw()
    {
        var corpus = new CharacterCorpus(Text);
        var random = new SplitMix64(20261130);

        int[] starts = [corpus.Training.SampleWindowStart(random, 4), corpus.Training.SampleWindowStart(random, 4)];

        starts.Should().Equal(5, 6);
    }

    [Fact]
    public void FillWindows_WrongSizesOrStarts_Throw()
    {
        TokenSequence training = new CharacterCorpus(Text).Training;
        Matrix<double> inputs = Matrix<double>.Build.Dense(4, 2);

        ((Action)(() => training.FillWindows([0, 1], inputs, Matrix<double>.Build.Dense(4, 3)))).Should().Throw<ArgumentException>();
        ((Action)(() => training.FillWindows([0, 13], inputs, Matrix<double>.Build.Dense(4, 2)))).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("A window of 4 with its target needs a start in [0, 13)*");
        ((Action)(() => training.SampleBatch<double>(new SplitMix64(1), 2, 17))).Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void Constructor_TooShortText_Throws()
    {
        ((Action)(() => _ = new CharacterCorpus("short"))).Should().Throw<ArgumentException>().WithMessage("A corpus needs at least 10 characters*");
    }

    private static string[] Decode(CharacterCorpus corpus, Matrix<float> ids) =>
        [.. ids.EnumerateColumns().Select(column => corpus.Vocabulary.Decode([.. column.Select(v => (int)v)]))];
}
