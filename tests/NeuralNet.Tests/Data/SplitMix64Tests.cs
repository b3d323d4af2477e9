using NeuralNet.Data;

namespace NeuralNet.Tests.Data;

/// <summary>
/// Reference values computed with the SplitMix64 class of /work/shared/data/sequences/check.py (Python integers,
/// masked to 64 bits), e.g. <c>r = SplitMix64(20261130); [r.next() for _ in range(3)]</c>; below, U and the shuffle
/// with the README's one-line definitions on top of it.
/// </summary>
public sealed class SplitMix64Tests
{
    [Fact]
    public void Next_SeedZero_GivesThePublishedSequence()
    {
        var random = new SplitMix64(0);

        // Also the first outputs of Vigna's reference splitmix64.c for seed 0.
        random.Next().Should().Be(0xE220A8397B1DCDAFUL);
        random.Next().Should().Be(0x6E789E6AA1B965F4UL);
        random.Next().Should().Be(0x06C45D188009454FUL);
    }

    [Fact]
    public void Next_DataSetSeed_MatchesCheckPy()
    {
        var random = new SplitMix64(20261130);

        new[] { random.Next(), random.Next(), random.Next() }.Should().Equal(14665655757252019486UL, 1967510780169695533UL, 755474927424252146UL);
        random.State.Should().Be(unchecked(20261130UL + (3 * 0x9E3779B97F4A7C15UL)));
    }

    [Fact]
    public void Next_LargestSeed_WrapsModulo2To64()
    {
        new SplitMix64(ulong.MaxValue).Next().Should().Be(16490336266968443936UL);
    }

    [Fact]
    public void Below_IsNextModuloN()
    {
        var random = new SplitMix64(20261130);

        int[] small = [.. Enumerable.Range(0, 5).Select(_ => random.Below(10))];

        small.Should().Equal(6, 3, 6, 8, 4);
        random.Below(1000003).Should().Be(422280);
        random.Below(1000003UL).Should().Be(825645UL);
    }

    [Fact]
    public void NextDouble_IsTheTop53BitsTimes2ToMinus53()
    {
        var random = new SplitMix64(20261130);

        random.NextDouble().Should().Be(0.7950267916468592);
        random.NextDouble().Should().Be(0.10665897311243167);
    }

    [Fact]
    public void Shuffle_TenItems_MatchesCheckPyFisherYates()
    {
        int[] items = [.. Enumerable.Range(0, 10)];

        new SplitMix64(20261130).Shuffle(items.AsSpan());

        items.Should().Equal(8, 4, 9, 3, 5, 7, 0, 2, 1, 6);
    }

    [Fact]
    public void Shuffle_DrawsOncePerItemAfterTheFirst()
    {
        var random = new SplitMix64(5);
        string[] items = ["a", "b", "c", "d"];

        random.Shuffle(items.AsSpan());

        random.State.Should().Be(unchecked(5UL + (3 * 0x9E3779B97F4A7C15UL)));
        items.Should().BeEquivalentTo("a", "b", "c", "d");
    }

    [Fact]
    public void Below_NonPositiveBound_Throws()
    {
        var random = new SplitMix64(1);

        ((Action)(() => random.Below(0))).Should().Throw<ArgumentOutOfRangeException>();
        ((Action)(() => random.Below(-3))).Should().Throw<ArgumentOutOfRangeException>();
        ((Action)(() => random.Below(0UL))).Should().Throw<ArgumentOutOfRangeException>();
    }
}
