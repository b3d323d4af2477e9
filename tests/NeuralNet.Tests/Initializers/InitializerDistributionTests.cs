using NeuralNet.Initializers;

namespace NeuralNet.Tests.Initializers;

/// <summary>
/// The initializers draw from the documented distributions: sample mean and variance over 40,000 weights within a
/// few standard errors of the formula (He: Var = 2/fanIn; Glorot: Var = 2/(fanIn + fanOut); uniform on ±√(3·Var)).
/// </summary>
public sealed class InitializerDistributionTests
{
    private const int FanIn = 200;
    private const int FanOut = 200;
    private const int Count = FanIn * FanOut;

    public static TheoryData<string, double, bool> Distributions => new()
    {
        // name, variance, normal (else uniform)
        { "HeNormal", 2.0 / FanIn, true },
        { "HeUniform", 2.0 / FanIn, false },
        { "GlorotNormal", 2.0 / (FanIn + FanOut), true },
        { "GlorotUniform", 2.0 / (FanIn + FanOut), false },
    };

    [Theory]
    [MemberData(nameof(Distributions))]
    public void Initialize_MeanAndVarianceMatchTheFormula(string name, double variance, bool normal)
    {
        double[] w = Draw(Find(name), seed: 11);
        double mean = w.Average();
        double sampleVariance = w.Sum(x => (x - mean) * (x - mean)) / (Count - 1);

        // Standard error of the mean is σ/√n; of the variance σ²·√((κ − 1)/n) with kurtosis κ = 3 (normal) or 9/5 (uniform).
        double kurtosis = normal ? 3.0 : 9.0 / 5.0;
        mean.Should().BeApproximately(0, 5 * Math.Sqrt(variance / Count));
        sampleVariance.Should().BeApproximately(variance, 5 * variance * Math.Sqrt((kurtosis - 1) / Count));
    }

    [Theory]
    [MemberData(nameof(Distributions))]
    public void Initialize_DistributionIsNormalOrUniformAsNamed(string name, double variance, bool normal)
    {
        double[] w = Draw(Find(name), seed: 12);
        double sigma = Math.Sqrt(variance);
        double withinOneSigma = w.Count(x => Math.Abs(x) <= sigma) / (double)Count;
        if (normal)
        {
            // P(|Z| ≤ 1) = 0.6827 for a normal; a uniform of the same variance gives 1/√3 = 0.5774.
            withinOneSigma.Should().BeApproximately(0.6827, 0.012);
            w.Max(Math.Abs).Should().BeGreaterThan(3 * sigma, "a normal sample of 40,000 has tails beyond 3σ");
        }
        else
        {
            double limit = Math.Sqrt(3 * variance);
            withinOneSigma.Should().BeApproximately(1 / Math.Sqrt(3), 0.012);
            w.Should().OnlyContain(x => Math.Abs(x) <= limit);
            w.Max(Math.Abs).Should().BeGreaterThan(0.999 * limit);
        }
    }

    [Theory]
    [InlineData("HeNormal")]
    [InlineData("HeUniform")]
    [InlineData("GlorotNormal")]
    [InlineData("GlorotUniform")]
    public void Initialize_SameSeedGivesTheSameValuesAndAnotherSeedDifferentOnes(string name)
    {
        IWeightInitializer initializer = Find(name);
        Draw(initializer, seed: 5).Should().Equal(Draw(initializer, seed: 5));
        Draw(initializer, seed: 5).Should().NotEqual(Draw(initializer, seed: 6));
    }

    [Fact]
    public void Initialize_InFloat_GivesTheDoubleDrawsRounded()
    {
        float[] single = new float[1000];
        Initializer.HeNormal.Initialize<float>(single, 50, 20, new Random(3));
        double[] wide = new double[1000];
        Initializer.HeNormal.Initialize<double>(wide, 50, 20, new Random(3));
        single.Should().Equal(wide.Select(x => (float)x));
    }

    [Fact]
    public void Zeros_FillsWithZeroAndDrawsNothing()
    {
        double[] w = Enumerable.Repeat(3.0, 100).ToArray();
        var random = new Random(9);
        Initializer.Zeros.Initialize<double>(w, 10, 10, random);
        w.Should().OnlyContain(x => x == 0);
        random.Next().Should().Be(new Random(9).Next(), "the random source was not advanced");
    }

    [Fact]
    public void Initialize_FansSetTheScale()
    {
        double Variance(IWeightInitializer initializer, int fanIn, int fanOut)
        {
            double[] w = new double[Count];
            initializer.Initialize<double>(w, fanIn, fanOut, new Random(4));
            return w.Average(x => x * x);
        }

        // He ignores fan-out; Glorot uses both.
        Variance(Initializer.HeNormal, 100, 10).Should().BeApproximately(Variance(Initializer.HeNormal, 100, 1000), 1e-15);
        Variance(Initializer.GlorotNormal, 100, 1000).Should().BeLessThan(Variance(Initializer.GlorotNormal, 100, 10) / 5);
    }

    [Theory]
    [InlineData(0, 5)]
    [InlineData(5, 0)]
    [InlineData(-1, 5)]
    public void Initialize_NonPositiveFans_AreRejected(int fanIn, int fanOut)
    {
        foreach (IWeightInitializer initializer in new[] { Initializer.HeNormal, Initializer.HeUniform, Initializer.GlorotNormal, Initializer.GlorotUniform, Initializer.Zeros })
        {
            FluentActions.Invoking(() => initializer.Initialize<double>(new double[4], fanIn, fanOut, new Random(1)))
                .Should().Throw<ArgumentOutOfRangeException>(initializer.Name);
        }
    }

    [Fact]
    public void Name_IdentifiesTheInitializer()
    {
        new[] { Initializer.HeNormal, Initializer.HeUniform, Initializer.GlorotNormal, Initializer.GlorotUniform, Initializer.Zeros }
            .Select(i => i.Name).Should().Equal("HeNormal", "HeUniform", "GlorotNormal", "GlorotUniform", "Zeros");
    }

    private static IWeightInitializer Find(string name) => name switch
    {
        "HeNormal" => Initializer.HeNormal,
        "HeUniform" => Initializer.HeUniform,
        "GlorotNormal" => Initializer.GlorotNormal,
        _ => Initializer.GlorotUniform,
    };

    private static double[] Draw(IWeightInitializer initializer, int seed)
    {
        double[] w = new double[Count];
        initializer.Initialize<double>(w, FanIn, FanOut, new Random(seed));
        return w;
    }
}
