using NeuralNet.Layers;

namespace NeuralNet.Tests.Layers;

/// <summary>
/// The dropout mask generator against reference values: xoshiro256** from state {1, 2, 3, 4} and SplitMix64 from seed 0
/// (the authors' reference C code; recomputed independently in Python for this test).
/// </summary>
public sealed class Xoshiro256StarStarTests
{
    [Fact]
    public void FromState1234_GivesTheReferenceSequence()
    {
        var generator = new Xoshiro256StarStar(0);
        generator.SetState([1, 2, 3, 4]);

        ulong[] outputs = [.. Enumerable.Range(0, 5).Select(_ => generator.NextUInt64())];

        outputs.Should().Equal(11520UL, 0UL, 1509978240UL, 1215971899390074240UL, 1216172134540287360UL);
    }

    [Fact]
    public void Seeding_ExpandsTheSeedWithSplitMix64()
    {
        var state = new ulong[4];
        new Xoshiro256StarStar(0).GetState(state);

        state[0].Should().Be(0xe220a8397b1dcdafUL);
        state[1].Should().Be(0x6e789e6aa1b965f4UL);
    }

    [Fact]
    public void StateRoundTrip_ContinuesTheSameSequence_AndNextDoubleStaysInTheUnitInterval()
    {
        var a = new Xoshiro256StarStar(42);
        for (int i = 0; i < 10; i++)
        {
            a.NextUInt64();
        }

        var state = new ulong[4];
        a.GetState(state);
        var b = new Xoshiro256StarStar(7);
        b.SetState(state);

        for (int i = 0; i < 1000; i++)
        {
            double x = a.NextDouble();
            b.NextDouble().Should().Be(x);
            x.Should().BeInRange(0, 1).And.BeLessThan(1);
        }
    }

    [Fact]
    public void TheAllZeroState_IsRejected()
    {
        var generator = new Xoshiro256StarStar(1);

        FluentActions.Invoking(() => generator.SetState([0, 0, 0, 0])).Should().Throw<ArgumentException>().WithMessage("*all zero*");
    }
}
