using NeuralNet.Data;

namespace NeuralNet.Tests.Data;

public sealed class RandomShiftTests
{
    /// <summary>Independent oracle, not in place: out(c, y, x) = in(c, y − dy, x − dx), or 0 outside the image.</summary>
    private static float[] Shifted(float[] image, int channels, int height, int width, int dy, int dx)
    {
        float[] result = new float[image.Length];
        for (int c = 0; c < channels; c++)
        {
            for (int y = 0; y < height; y++)
            {
                for (int x = 0; x < width; x++)
                {
                    int sy = y - dy, sx = x - dx;
                    bool inside = sy >= 0 && sy < height && sx >= 0 && sx < width;
                    result[(((c * height) + y) * width) + x] = inside ? image[(((c * height) + sy) * width) + sx] : 0f;
                }
            }
        }

        return result;
    }

    private static float[] Counting(int length) => [.. Enumerable.Range(1, length).Select(i => (float)i)];

    [Fact]
    public void Apply_OneDownOneRight_MovesEveryPixelByOneAndZeroFillsTheTopRowAndLeftColumn()
    {
        float[] image = Counting(9); // 1 2 3 / 4 5 6 / 7 8 9

        new RandomShift(1).Apply<float>(image, Shape.Of(1, 3, 3), TransformBits.Shift(1, 1, 1));

        image.Should().Equal(0, 0, 0, 0, 1, 2, 0, 4, 5);
    }

    [Fact]
    public void Apply_TwoUpOneLeft_MovesEveryPixelAndZeroFillsTheBottomRowsAndRightColumn()
    {
        float[] image = Counting(12); // 3 rows of 4

        new RandomShift(2).Apply<float>(image, Shape.Of(1, 3, 4), TransformBits.Shift(-2, -1, 2));

        image.Should().Equal(10, 11, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Apply_EveryOffsetOnThreeChannels_EqualsTheOutOfPlaceOracle(int maxShift)
    {
        const int channels = 3, height = 5, width = 7;
        for (int dy = -maxShift; dy <= maxShift; dy++)
        {
            for (int dx = -maxShift; dx <= maxShift; dx++)
            {
                float[] image = Counting(channels * height * width);
                float[] expected = Shifted(image, channels, height, width, dy, dx);

                new RandomShift(maxShift).Apply<float>(image, Shape.Of(channels, height, width), TransformBits.Shift(dy, dx, maxShift));

                image.Should().Equal(expected, "shift ({0}, {1})", dy, dx);
            }
        }
    }

    [Fact]
    public void Apply_DoubleImage_EqualsTheOracle()
    {
        double[] image = [.. Counting(2 * 4 * 4).Select(v => (double)v)];
        float[] expected = Shifted(Counting(32), 2, 4, 4, 1, -2);

        new RandomShift(2).Apply<double>(image, Shape.Of(2, 4, 4), TransformBits.Shift(1, -2, 2));

        image.Should().Equal(expected.Select(v => (double)v));
    }

    [Fact]
    public void Apply_UniformBits_DrawEveryOffsetWithRoughlyEqualFrequency()
    {
        // 25 offsets for a shift of up to 2; 25,000 draws: each expected 1,000 times (σ ≈ 31).
        var random = new Random(7);
        var counts = new Dictionary<(int, int), int>();
        float[] image = new float[25];
        for (int draw = 0; draw < 25_000; draw++)
        {
            Array.Clear(image);
            image[12] = 1; // the centre pixel of 5 × 5 shows where the image moved
            new RandomShift(2).Apply<float>(image, Shape.Of(1, 5, 5), (ulong)random.NextInt64() ^ ((ulong)random.Next(2) << 63));
            int at = Array.IndexOf(image, 1f);
            (int, int) offset = ((at / 5) - 2, (at % 5) - 2);
            counts[offset] = counts.GetValueOrDefault(offset) + 1;
        }

        counts.Should().HaveCount(25);
        counts.Values.Should().OnlyContain(n => n > 850 && n < 1150);
    }

    [Fact]
    public void CheckShape_FeatureVector_ThrowsNamingTheTransformAndTheShape()
    {
        Action check = () => new RandomShift(2).CheckShape(Shape.Vector(784));

        check.Should().Throw<ArgumentException>().WithMessage("*RandomShift(2)*(784)*Shape.Of(1, 28, 28)*");
    }

    [Fact]
    public void CheckShape_ShiftAsLargeAsTheImage_Throws()
    {
        Action check = () => new RandomShift(4).CheckShape(Shape.Of(1, 4, 9));

        check.Should().Throw<ArgumentException>().WithMessage("*RandomShift(4)*(1, 4, 9)*height (4)*");
        new RandomShift(3).CheckShape(Shape.Of(1, 4, 9));
    }

    [Fact]
    public void Constructor_NegativeShift_ThrowsNamingTheArgument()
    {
        Action create = () => _ = new RandomShift(-1);

        create.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("maxShift");
    }
}
