using Digits;

namespace NeuralNet.Tests.Samples;

/// <summary>The main sample on real data: UCI digits with the seeded 80/20 split.</summary>
public sealed class DigitsSampleTests
{
    [Fact]
    public void Digits_ReachesAtLeast96PercentTestAccuracyAndEndsWithTheAccuracyLine()
    {
        using var output = new StringWriter();

        double accuracy = DigitsExperiment.Run(output);

        accuracy.Should().BeGreaterThanOrEqualTo(0.96);
        string[] lines = output.ToString().TrimEnd().Split(Environment.NewLine);
        lines[^1].Should().MatchRegex(@"^test accuracy: 0\.\d{4}$");
        lines.Count(l => l.StartsWith("epoch ", StringComparison.Ordinal)).Should().Be(30);
        lines.Should().Contain(l => l.StartsWith("Confusion matrix", StringComparison.Ordinal));
    }

    [Fact]
    public void DigitsData_HasAllSamplesWithPixelsInUnitRange()
    {
        NeuralNet.Data.Dataset<float> digits = DigitsData.Load();

        digits.Count.Should().Be(1797);
        digits.FeatureCount.Should().Be(64);
        digits.Labels!.Distinct().Order().Should().Equal(Enumerable.Range(0, 10));
        digits.Features.Enumerate().Should().OnlyContain(v => v >= 0 && v <= 1);
        digits.Features.Enumerate().Max().Should().Be(1f);
    }
}
