using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Schedules;
using NeuralNet.Training;

namespace NeuralNet.Tests.Training;

public sealed class ScheduleInTrainerTests
{
    private static (Trainer<double> Trainer, Network<double> Network, List<(int Epoch, int Batch, double Rate)> Rates) Build(
        ILearningRateSchedule? schedule, ScheduleInterval interval, int epochs = 4)
    {
        Network<double> network = TinyProblems.SmallClassifier(6);
        var trainer = new Trainer<double>(network, new CrossEntropyLoss<double>(), new Sgd<double>(0.2, momentum: 0.5), new TrainerOptions
        {
            Epochs = epochs,
            BatchSize = 8,
            Seed = 2,
            Schedule = schedule,
            ScheduleInterval = interval,
        });
        var rates = new List<(int, int, double)>();
        trainer.Callbacks.Add(new DelegateCallback(onBatch: c => rates.Add((c.Epoch, c.Batch, c.Optimizer.LearningRate))));
        return (trainer, network, rates);
    }

    [Fact]
    public void Schedule_PerEpoch_IsTheRateAtEpochMinusOneForEveryBatch()
    {
        var schedule = new StepDecaySchedule(stepSize: 2, gamma: 0.1);
        (Trainer<double> trainer, _, var rates) = Build(schedule, ScheduleInterval.Epoch);
        TrainingHistory history = trainer.Fit(TinyProblems.Blobs(10, 1)); // 3 batches per epoch

        double[] expected = [0.2, 0.2, 0.02, 0.02];
        rates.Should().HaveCount(12);
        rates.Should().OnlyContain(r => Math.Abs(r.Rate - expected[r.Epoch - 1]) <= 1e-15);
        history.Select(r => r.LearningRate!.Value).Should().Equal(expected, (a, e) => Math.Abs(a - e) <= 1e-15);
    }

    [Fact]
    public void Schedule_PerBatch_IsTheRateAtTheRunningBatchCount()
    {
        var schedule = new ExponentialSchedule(0.9);
        (Trainer<double> trainer, _, var rates) = Build(schedule, ScheduleInterval.Batch);
        trainer.Fit(TinyProblems.Blobs(10, 1));

        rates.Should().HaveCount(12);
        for (int t = 0; t < rates.Count; t++)
        {
            rates[t].Rate.Should().BeApproximately(0.2 * Math.Pow(0.9, t), 1e-15, $"batch {t}");
        }
    }

    [Fact]
    public void Schedule_AndItsInterval_ChangeTheTrainedWeights()
    {
        var schedule = new LinearWarmupSchedule(2, new CosineAnnealingSchedule(4));
        (Trainer<double> none, Network<double> noneNet, _) = Build(null, ScheduleInterval.Epoch);
        (Trainer<double> perEpoch, Network<double> epochNet, _) = Build(schedule, ScheduleInterval.Epoch);
        (Trainer<double> perBatch, Network<double> batchNet, _) = Build(schedule, ScheduleInterval.Batch);
        none.Fit(TinyProblems.Blobs(10, 1));
        perEpoch.Fit(TinyProblems.Blobs(10, 1));
        perBatch.Fit(TinyProblems.Blobs(10, 1));

        TinyProblems.MaxDifference(TinyProblems.Weights(noneNet), TinyProblems.Weights(epochNet)).Should().BeGreaterThan(1e-3);
        TinyProblems.MaxDifference(TinyProblems.Weights(epochNet), TinyProblems.Weights(batchNet)).Should().BeGreaterThan(1e-3);
    }

    [Fact]
    public void Fit_EachCall_RestartsTheScheduleFromTheRateTheTrainerWasCreatedWith()
    {
        (Trainer<double> trainer, _, var rates) = Build(new ExponentialSchedule(0.5), ScheduleInterval.Epoch, epochs: 2);
        trainer.InitialLearningRate.Should().Be(0.2);
        trainer.Fit(TinyProblems.Blobs(10, 1));
        trainer.Optimizer.LearningRate.Should().Be(0.1);
        trainer.Fit(TinyProblems.Blobs(10, 1));

        rates.Select(r => r.Rate).Should().Equal(0.2, 0.2, 0.2, 0.1, 0.1, 0.1, 0.2, 0.2, 0.2, 0.1, 0.1, 0.1);
    }

    [Fact]
    public void Fit_WithoutASchedule_LeavesTheOptimizersRateAlone()
    {
        (Trainer<double> trainer, _, var rates) = Build(null, ScheduleInterval.Batch);
        trainer.Optimizer.LearningRate = 0.05;
        trainer.Fit(TinyProblems.Blobs(10, 1));
        rates.Should().OnlyContain(r => r.Rate == 0.05);
    }
}
