using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Data;

namespace NeuralNet.Tests.Data;

public sealed class NormalizeChannelsTests
{
    [Fact]
    public void Apply_TwoChannels_SubtractsEachChannelsMeanAndDividesByItsDeviationInFloat()
    {
        float[] image = [0.1f, 0.2f, 0.3f, 0.4f, 1f, 2f, 3f, 4f]; // 2 channels of 2 × 2
        var normalize = new NormalizeChannels([0.25, 2.0], [0.5, 4.0]);

        normalize.Apply<float>(image, Shape.Of(2, 2, 2), 0);

        float[] expected = [(0.1f - 0.25f) / 0.5f, (0.2f - 0.25f) / 0.5f, (0.3f - 0.25f) / 0.5f, (0.4f - 0.25f) / 0.5f, -0.25f, 0f, 0.25f, 0.5f];
        image.Should().Equal(expected);
    }

    [Fact]
    public void Apply_OneMeanOnAnyShape_NormalizesEveryValue()
    {
        double[] values = [0, 255, 51];

        new NormalizeChannels([0.0], [255.0]).Apply<double>(values, Shape.Vector(3), 0);

        values.Should().Equal(0, 1, 51 / 255.0);
    }

    [Fact]
    public void ApplyTo_Matrix_NormalizesEveryColumnAsApplyDoes()
    {
        var normalize = new NormalizeChannels([1.0, -1.0], [2.0, 3.0]);
        var samples = Matrix<float>.Build.Dense(4, 3, (i, j) => (i * 0.7f) - j);
        float[] column = [.. samples.Column(2)];
        normalize.Apply<float>(column, Shape.Of(2, 1, 2), 0);
        float raw = samples[3, 0];

        normalize.ApplyTo(samples, Shape.Of(2, 1, 2));

        samples.Column(2).ToArray().Should().Equal(column);
        samples[3, 0].Should().Be((raw - (-1f)) / 3f); // row 3 is channel 1
    }

    [Fact]
    public void CheckShape_ChannelCountDiffers_ThrowsNamingBoth()
    {
        Action check = () => new NormalizeChannels([0.5, 0.5, 0.5], [0.2, 0.2, 0.2]).CheckShape(Shape.Of(1, 28, 28));

        check.Should().Throw<ArgumentException>().WithMessage("*3 channels*(1, 28, 28)*1*");
    }

    [Theory]
    [InlineData(double.NaN, 1.0, "mean")]
    [InlineData(0.0, 0.0, "standardDeviation")]
    [InlineData(0.0, -1.0, "standardDeviation")]
    [InlineData(0.0, double.PositiveInfinity, "standardDeviation")]
    public void Constructor_BadStatistics_ThrowNamingTheArgument(double mean, double deviation, string argument)
    {
        Action create = () => _ = new NormalizeChannels([0.0, mean], [1.0, deviation]);

        create.Should().Throw<ArgumentException>().WithParameterName(argument).WithMessage("*channel 1*");
    }

    [Fact]
    public void Constructor_CountsDiffer_Throws()
    {
        Action create = () => _ = new NormalizeChannels([0.0, 1.0], [1.0]);

        create.Should().Throw<ArgumentException>().WithMessage("*2 means and 1 deviations*");
    }
}
