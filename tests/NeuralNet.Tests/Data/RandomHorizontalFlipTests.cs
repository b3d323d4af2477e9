using NeuralNet.Data;

namespace NeuralNet.Tests.Data;

public sealed class RandomHorizontalFlipTests
{
    [Fact]
    public void Apply_BitsBelowTheProbability_MirrorsEveryRowOfEveryChannel()
    {
        float[] image = [.. Enumerable.Range(1, 12).Select(i => (float)i)]; // 2 channels of 2 rows of 3

        new RandomHorizontalFlip().Apply<float>(image, Shape.Of(2, 2, 3), TransformBits.Uniform(0.49));

        image.Should().Equal(3, 2, 1, 6, 5, 4, 9, 8, 7, 12, 11, 10);
    }

    [Fact]
    public void Apply_BitsAtOrAboveTheProbability_LeavesTheImage()
    {
        double[] image = [1, 2, 3, 4];

        new RandomHorizontalFlip().Apply<double>(image, Shape.Of(1, 2, 2), TransformBits.Uniform(0.5));

        image.Should().Equal(1, 2, 3, 4);
    }

    [Theory]
    [InlineData(0.0, 0)]
    [InlineData(1.0, 1000)]
    public void Apply_ProbabilityZeroOrOne_FlipsNeverOrAlways(double probability, int expectedFlips)
    {
        var random = new Random(3);
        int flips = 0;
        for (int i = 0; i < 1000; i++)
        {
            float[] image = [1, 2];
            new RandomHorizontalFlip(probability).Apply<float>(image, Shape.Of(1, 1, 2), (ulong)random.NextInt64() | (1UL << 63));
            flips += image[0] == 2 ? 1 : 0;
        }

        flips.Should().Be(expectedFlips);
    }

    [Fact]
    public void Apply_UniformBits_FlipAboutHalfOfTheImages()
    {
        var random = new Random(4);
        int flips = 0;
        for (int i = 0; i < 10_000; i++)
        {
            float[] image = [1, 2];
            new RandomHorizontalFlip().Apply<float>(image, Shape.Of(1, 1, 2), (ulong)random.NextInt64() ^ ((ulong)random.Next(2) << 63));
            flips += image[0] == 2 ? 1 : 0;
        }

        flips.Should().BeInRange(4800, 5200); // 5,000 ± 4σ
    }

    [Fact]
    public void CheckShape_FeatureVector_ThrowsNamingTheShape()
    {
        Action check = () => new RandomHorizontalFlip().CheckShape(Shape.Vector(10));

        check.Should().Throw<ArgumentException>().WithMessage("*RandomHorizontalFlip(0.5)*(10)*");
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.1)]
    [InlineData(double.NaN)]
    public void Constructor_ProbabilityOutsideZeroToOne_ThrowsNamingTheArgument(double probability)
    {
        Action create = () => _ = new RandomHorizontalFlip(probability);

        create.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("probability");
    }
}
