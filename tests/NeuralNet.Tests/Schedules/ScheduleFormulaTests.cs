using NeuralNet.Schedules;

namespace NeuralNet.Tests.Schedules;

/// <summary>Each schedule's rate at chosen steps equals its formula, evaluated here by hand.</summary>
public sealed class ScheduleFormulaTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(1000)]
    public void Constant_ReturnsTheInitialRate(int step) =>
        new ConstantSchedule().GetLearningRate(0.05, step).Should().Be(0.05);

    [Theory]
    [InlineData(0, 0.1)]
    [InlineData(2, 0.1)]
    [InlineData(3, 0.05)]
    [InlineData(5, 0.05)]
    [InlineData(6, 0.025)]
    [InlineData(10, 0.0125)]
    public void StepDecay_IsEta0TimesGammaToTheFloorOfTOverS(int step, double expected)
    {
        // η(t) = 0.1 · 0.5^⌊t / 3⌋
        new StepDecaySchedule(stepSize: 3, gamma: 0.5).GetLearningRate(0.1, step).Should().BeApproximately(expected, 1e-15);
    }

    [Theory]
    [InlineData(0, 0.2)]
    [InlineData(1, 0.18)]
    [InlineData(2, 0.162)]
    [InlineData(5, 0.1180980)]
    public void Exponential_IsEta0TimesGammaToTheT(int step, double expected)
    {
        // η(t) = 0.2 · 0.9ᵗ; 0.9⁵ = 0.59049
        new ExponentialSchedule(0.9).GetLearningRate(0.2, step).Should().BeApproximately(expected, 1e-12);
    }

    [Theory]
    [InlineData(0, 0.1)]
    [InlineData(5, 0.055)] // halfway: η_min + (η₀ − η_min)/2 = 0.01 + 0.045
    [InlineData(10, 0.01)]
    [InlineData(25, 0.01)] // after the period it stays at the minimum
    public void CosineAnnealing_FollowsHalfACosineToTheMinimum(int step, double expected)
    {
        new CosineAnnealingSchedule(period: 10, minimumRate: 0.01).GetLearningRate(0.1, step).Should().BeApproximately(expected, 1e-15);
    }

    [Fact]
    public void CosineAnnealing_AtAQuarterOfThePeriod_IsHalfOfOnePlusCosine()
    {
        // t = 2.5 of T = 10 cannot be asked; t = 1 of T = 4: (1 + cos(π/4)) / 2 = (1 + √2/2) / 2 ≈ 0.853553
        new CosineAnnealingSchedule(period: 4).GetLearningRate(1.0, 1).Should().BeApproximately(0.8535533905932737, 1e-15);
        new CosineAnnealingSchedule(period: 4).GetLearningRate(1.0, 3).Should().BeApproximately(0.1464466094067262, 1e-15);
    }

    [Theory]
    [InlineData(0, 0.025)]
    [InlineData(1, 0.05)]
    [InlineData(3, 0.1)]
    [InlineData(4, 0.1)]
    [InlineData(9, 0.1)]
    public void LinearWarmup_RampsToEta0ThenStaysConstant(int step, double expected)
    {
        // η(t) = 0.1 · (t + 1) / 4 for t < 4, then 0.1
        new LinearWarmupSchedule(4).GetLearningRate(0.1, step).Should().BeApproximately(expected, 1e-15);
    }

    [Theory]
    [InlineData(0, 0.05)]
    [InlineData(1, 0.1)]
    [InlineData(2, 0.1)]  // cosine step 0
    [InlineData(4, 0.05)] // cosine step 2 of 4: halfway
    [InlineData(6, 0.0)]  // cosine step 4: the minimum
    public void LinearWarmup_ComposesWithAnotherScheduleRestartedAtStepZero(int step, double expected)
    {
        var schedule = new LinearWarmupSchedule(2, new CosineAnnealingSchedule(4));
        schedule.GetLearningRate(0.1, step).Should().BeApproximately(expected, 1e-15);
    }

    [Fact]
    public void LinearWarmup_ComposesWithStepDecay()
    {
        var schedule = new LinearWarmupSchedule(1, new StepDecaySchedule(2, 0.1));
        double[] rates = [.. Enumerable.Range(0, 6).Select(t => schedule.GetLearningRate(1.0, t))];
        rates.Should().Equal([1.0, 1.0, 1.0, 0.1, 0.1, 0.01], (a, e) => Math.Abs(a - e) <= 1e-15);
    }

    [Fact]
    public void Constructors_BadSettings_AreRejectedWithTheirNameAndValue()
    {
        FluentActions.Invoking(() => new StepDecaySchedule(0, 0.5)).Should().Throw<ArgumentOutOfRangeException>()
            .Where(e => e.ParamName == "stepSize" && e.Message.Contains("StepDecaySchedule", StringComparison.Ordinal));
        FluentActions.Invoking(() => new StepDecaySchedule(2, -0.5)).Should().Throw<ArgumentOutOfRangeException>()
            .Where(e => e.ParamName == "gamma" && e.Message.Contains("-0.5", StringComparison.Ordinal));
        FluentActions.Invoking(() => new ExponentialSchedule(double.NaN)).Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "gamma");
        FluentActions.Invoking(() => new ExponentialSchedule(0)).Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "gamma");
        FluentActions.Invoking(() => new CosineAnnealingSchedule(0)).Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "period");
        FluentActions.Invoking(() => new CosineAnnealingSchedule(5, -1)).Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "minimumRate");
        FluentActions.Invoking(() => new LinearWarmupSchedule(0)).Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "warmupSteps");
    }

    [Theory]
    [InlineData(1.5)]
    [InlineData(double.PositiveInfinity)]
    public void Constructors_DecayFactorAboveOne_IsRefused(double gamma)
    {
        FluentActions.Invoking(() => new ExponentialSchedule(gamma)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*(0, 1]*");
        FluentActions.Invoking(() => new StepDecaySchedule(3, gamma)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*(0, 1]*");
    }

    [Fact]
    public void GetLearningRate_NegativeStepOrBadInitialRate_IsRejected()
    {
        FluentActions.Invoking(() => new ConstantSchedule().GetLearningRate(0.1, -1)).Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "step");
        FluentActions.Invoking(() => new ExponentialSchedule(0.9).GetLearningRate(double.NaN, 0)).Should().Throw<ArgumentOutOfRangeException>()
            .Where(e => e.ParamName == "initialRate");
        FluentActions.Invoking(() => new CosineAnnealingSchedule(3).GetLearningRate(-0.1, 0)).Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void Schedules_ApplyToAnyOptimizerThroughItsLearningRate()
    {
        var schedule = new ExponentialSchedule(0.5);
        NeuralNet.Optimizers.IOptimizer<float>[] optimizers =
        [
            new NeuralNet.Optimizers.Sgd<float>(0.1), new NeuralNet.Optimizers.Adam<float>(0.1),
            new NeuralNet.Optimizers.AdamW<float>(0.1), new NeuralNet.Optimizers.RMSProp<float>(0.1),
        ];
        foreach (NeuralNet.Optimizers.IOptimizer<float> optimizer in optimizers)
        {
            optimizer.LearningRate = schedule.GetLearningRate(0.1, 2);
            optimizer.LearningRate.Should().BeApproximately(0.025, 1e-15, optimizer.ToString());
        }
    }
}
