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
            new NeuralNet.Optimizers.AdamW<float>(0.1), new NeuralNet.Optimizers.RmsProp<float>(0.1),
        ];
        foreach (NeuralNet.Optimizers.IOptimizer<float> optimizer in optimizers)
        {
            optimizer.LearningRate = schedule.GetLearningRate(0.1, 2);
            optimizer.LearningRate.Should().BeApproximately(0.025, 1e-15, optimizer.ToString());
        }
    }

    [Fact]
    public void CosineAnnealing_ContinueCosine_FollowsPyTorchsClosedFormPastThePeriod()
    {
        // PyTorch's CosineAnnealingLR._get_closed_form_lr: η_min + (η₀ − η_min) · (1 + cos(π · t / T_max)) / 2, for every t.
        var schedule = new CosineAnnealingSchedule(period: 10, minimumRate: 0.01) { ContinueCosine = true };
        for (int t = 0; t <= 45; t++)
        {
            double pyTorch = 0.01 + ((0.1 - 0.01) * (1 + Math.Cos(Math.PI * t / 10)) / 2);
            schedule.GetLearningRate(0.1, t).Should().BeApproximately(pyTorch, 1e-15, $"step {t}");
        }

        schedule.GetLearningRate(0.1, 15).Should().BeApproximately(0.055, 1e-15); // rising: halfway back
        schedule.GetLearningRate(0.1, 20).Should().BeApproximately(0.1, 1e-15);   // back at η₀ after 2T
        schedule.GetLearningRate(0.1, 30).Should().BeApproximately(0.01, 1e-15);  // down again at 3T
    }

    [Fact]
    public void CosineAnnealing_ByDefault_HoldsTheMinimumWherePyTorchRisesAgain()
    {
        var schedule = new CosineAnnealingSchedule(period: 10, minimumRate: 0.01);

        schedule.ContinueCosine.Should().BeFalse();
        for (int t = 10; t <= 45; t++)
        {
            schedule.GetLearningRate(0.1, t).Should().Be(0.01, $"step {t}");
        }

        new CosineAnnealingSchedule(10) { ContinueCosine = true }.ToString().Should().Contain("continues");
    }

    [Fact]
    public void CosineAnnealing_ContinueCosineAtAHugeStep_StaysFiniteAndInRange()
    {
        var schedule = new CosineAnnealingSchedule(period: int.MaxValue) { ContinueCosine = true };

        schedule.GetLearningRate(1.0, int.MaxValue).Should().BeApproximately(0, 1e-15);
        new CosineAnnealingSchedule(period: 7) { ContinueCosine = true }.GetLearningRate(1.0, int.MaxValue)
            .Should().BeApproximately((1 + Math.Cos(Math.PI * (int.MaxValue % 14) / 7)) / 2, 1e-15);
    }

    [Theory]
    [InlineData(1.0 / 3, 1.0, 5)] // PyTorch's defaults
    [InlineData(0.5, 0.8, 4)]
    [InlineData(1.0, 0.1, 3)]     // a linear decay
    [InlineData(0.25, 0.0, 1)]
    public void LinearWarmup_WithFactors_FollowsPyTorchsLinearLR(double start, double end, int total)
    {
        // LinearLR._get_closed_form_lr: η₀ · (s + (e − s) · min(total_iters, t) / total_iters)
        var schedule = LinearWarmupSchedule.FromFactors(start, end, total);
        for (int t = 0; t <= 3 * total + 2; t++)
        {
            double pyTorch = 0.3 * (start + ((end - start) * Math.Min(total, t) / total));
            schedule.GetLearningRate(0.3, t).Should().BeApproximately(pyTorch, 1e-15, $"step {t}");
        }

        schedule.StartFactor.Should().Be(start);
        schedule.EndFactor.Should().Be(end);
        schedule.WarmupSteps.Should().Be(total);
    }

    [Theory]
    [InlineData(0, 0.1 / 3)]
    [InlineData(1, 0.1 * (1.0 / 3 + (2.0 / 3 / 5)))] // 0.0466…
    [InlineData(4, 0.1 * (1.0 / 3 + (2.0 / 3 * 4 / 5)))]
    [InlineData(5, 0.1)]
    [InlineData(6, 0.1)]
    public void LinearWarmup_PyTorchDefaults_GivesLinearLRsHandComputedRates(int step, double expected)
    {
        LinearWarmupSchedule.FromFactors(1.0 / 3, 1.0, 5).GetLearningRate(0.1, step).Should().BeApproximately(expected, 1e-15);
    }

    [Theory]
    [InlineData(0, 0.01)]
    [InlineData(2, 0.07)]   // 0.1 · (0.1 + 0.9 · 2/3)
    [InlineData(3, 0.1)]    // the cosine's step 0, from e · η₀ = η₀
    [InlineData(5, 0.05)]   // cosine step 2 of 4
    [InlineData(7, 0.0)]
    public void LinearWarmup_WithFactorsAndAfter_IsPyTorchsSequentialLR(int step, double expected)
    {
        // SequentialLR([LinearLR(0.1, 1, 3), CosineAnnealingLR(T_max=4)], milestones=[3])
        var schedule = LinearWarmupSchedule.FromFactors(0.1, 1.0, 3, new CosineAnnealingSchedule(4));
        schedule.GetLearningRate(0.1, step).Should().BeApproximately(expected, 1e-15);
    }

    [Fact]
    public void LinearWarmup_WithFactorsAndAfter_HandsEndFactorTimesEta0ToAfter()
    {
        var schedule = LinearWarmupSchedule.FromFactors(0.5, 0.5, 2, new StepDecaySchedule(1, 0.5));

        schedule.GetLearningRate(0.4, 2).Should().BeApproximately(0.2, 1e-15);
        schedule.GetLearningRate(0.4, 3).Should().BeApproximately(0.1, 1e-15);
    }

    [Fact]
    public void LinearWarmup_StepsConstructor_HasFactorsOneOverWAndOne()
    {
        var schedule = new LinearWarmupSchedule(4);

        schedule.StartFactor.Should().Be(0.25);
        schedule.EndFactor.Should().Be(1);
        schedule.ToString().Should().Be("LinearWarmup(4 steps, then Constant)");
    }

    [Theory]
    [InlineData(0.0, 1.0, "startFactor")]
    [InlineData(1.5, 1.0, "startFactor")]
    [InlineData(double.NaN, 1.0, "startFactor")]
    [InlineData(0.5, -0.1, "endFactor")]
    [InlineData(0.5, 1.1, "endFactor")]
    [InlineData(0.5, double.NaN, "endFactor")]
    public void LinearWarmup_FactorOutOfRange_ThrowsNamingIt(double start, double end, string name)
    {
        Action create = () => _ = LinearWarmupSchedule.FromFactors(start, end, 5);

        create.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be(name);
    }
}
