using System.Buffers.Binary;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Serialization;
using NeuralNet.Training;

namespace NeuralNet.Tests.Training;

/// <summary>
/// Checkpoints with a valid checksum but values no run of this trainer could have written (or written with other
/// settings) are refused by Resume before anything changes, with an exception naming the field.
/// </summary>
public sealed partial class ResumeTests
{
    // Offsets in the trainer state (docs/model-format.md, "Trainer state").
    private const int ScheduleStepOffset = 14;
    private const int LearningRateOffset = 22;
    private const int BestEpochOffset = 40;
    private const int WaitedOffset = 44;

    public static TheoryData<string, string, string> ImpossibleCases() => new()
    {
        // case, expected exception, message pattern
        { "epoch 2147483647", nameof(ArgumentException), "*epoch*2147483647*Epochs = 4*" },
        { "epoch 0", nameof(ModelFormatException), "*epoch*0*" },
        { "schedule step 1000", nameof(ModelFormatException), "*schedule step*1000*" },
        { "schedule step 0 with a per-batch schedule", nameof(ArgumentException), "*schedule step*0*per-batch*" },
        { "schedule step of a per-batch schedule without one", nameof(ArgumentException), "*schedule step*5*per-batch*" },
        { "learning rate NaN", nameof(ModelFormatException), "*learning rate*NaN*" },
        { "learning rate -1", nameof(ModelFormatException), "*learning rate*-1*" },
        { "best epoch 5 after epoch 1", nameof(ModelFormatException), "*best epoch*5*" },
        { "best epoch 0", nameof(ModelFormatException), "*best epoch*0*" },
        { "3 epochs without improvement after epoch 1", nameof(ModelFormatException), "*epochs without improvement*3*" },
        { "patience exhausted without ending", nameof(ArgumentException), "*Patience*1*" },
        { "a NaN weight", nameof(ModelFormatException), "*layer 0*parameter 'weight'*NaN*index 3*" },
        { "an infinite velocity", nameof(ArgumentException), "*velocity*parameter 1*Infinity*index 0*finite*" },
    };

    [Theory]
    [MemberData(nameof(ImpossibleCases))]
    public void ACheckpointNoRunCouldHaveWritten_IsRefusedBeforeAnythingChanges(string problem, string exception, string message)
    {
        (Setup setup, Checkpoint<double> checkpoint) = Impossible(problem);
        Network<double> network = setup.Network(7);
        double[] before = State(network);
        IOptimizer<double> optimizer = setup.Optimizer();
        double rate = optimizer.LearningRate;
        var trainer = new Trainer<double>(network, new CrossEntropyLoss<double>(), optimizer, setup.Options);
        trainer.Callbacks.Add(new DelegateCallback(onBatch: _ => throw new InvalidOperationException("no batch may run")));

        Action resume = () => trainer.Resume(checkpoint, setup.Data);

        Exception error = resume.Should().Throw<Exception>().WithMessage(message).Which;
        error.GetType().Name.Should().Be(exception);
        Bits(State(network)).Should().Equal(Bits(before));
        optimizer.LearningRate.Should().Be(rate);
        optimizer.GetState(network.Parameters).StepCount.Should().Be(0);
    }

    [Fact]
    public void Resume_CheckpointOfTheLastEpochOfARunOfInt32MaxValueEpochs_RunsNothingWithoutOverflow()
    {
        (Setup setup, Checkpoint<double> checkpoint) = Impossible("epoch 2147483647");
        var trainer = new Trainer<double>(setup.Network(7), new CrossEntropyLoss<double>(), setup.Optimizer(), setup.Options with { Epochs = int.MaxValue });
        trainer.Callbacks.Add(new DelegateCallback(onBatch: _ => throw new InvalidOperationException("no batch may run")));

        TrainingHistory rest = trainer.Resume(checkpoint, setup.Data);

        rest.Should().BeEmpty();
        rest.StopReason.Should().Be(TrainingStopReason.Completed);
        rest.WeightsEpoch.Should().Be(int.MaxValue, "the network holds the checkpoint's weights");
    }

    /// <summary>A real checkpoint after epoch 1 (2 for the patience case), altered as <paramref name="problem"/> says and saved with a valid checksum.</summary>
    private (Setup Setup, Checkpoint<double> Checkpoint) Impossible(string problem)
    {
        Setup setup = problem switch
        {
            "schedule step 1000" or "schedule step 0 with a per-batch schedule" => Regularized(),
            _ when problem.Contains("epoch") && problem != "epoch 2147483647" && problem != "epoch 0" => EarlyStopped(),
            "patience exhausted without ending" => EarlyStopped(),
            _ => MomentumSgd(),
        };
        string path = Path.Combine(directory, $"{problem}.ckpt");
        Interrupt(setup, problem == "patience exhausted without ending" ? 2 : 1, path);
        Checkpoint<double> real = Checkpoint<double>.Load(path);
        byte[] state = real.RandomState.ToArray();
        int epoch = real.Epoch;
        switch (problem)
        {
            case "epoch 2147483647": epoch = int.MaxValue; break;
            case "epoch 0": epoch = 0; break;
            case "schedule step 1000": BinaryPrimitives.WriteUInt64LittleEndian(state.AsSpan(ScheduleStepOffset), 1000); break;
            case "schedule step 0 with a per-batch schedule": BinaryPrimitives.WriteUInt64LittleEndian(state.AsSpan(ScheduleStepOffset), 0); break;
            case "schedule step of a per-batch schedule without one": BinaryPrimitives.WriteUInt64LittleEndian(state.AsSpan(ScheduleStepOffset), 5); break; // 30 samples in batches of 7
            case "learning rate NaN": BinaryPrimitives.WriteDoubleLittleEndian(state.AsSpan(LearningRateOffset), double.NaN); break;
            case "learning rate -1": BinaryPrimitives.WriteDoubleLittleEndian(state.AsSpan(LearningRateOffset), -1); break;
            case "best epoch 5 after epoch 1": BinaryPrimitives.WriteUInt32LittleEndian(state.AsSpan(BestEpochOffset), 5); break;
            case "best epoch 0": BinaryPrimitives.WriteUInt32LittleEndian(state.AsSpan(BestEpochOffset), 0); break;
            case "3 epochs without improvement after epoch 1": BinaryPrimitives.WriteUInt32LittleEndian(state.AsSpan(WaitedOffset), 3); break;
            case "a NaN weight": real.Network.Parameters[0].ValueSpan[3] = double.NaN; break;
            case "an infinite velocity": real.OptimizerState.Buffers[1]["velocity"][0] = double.PositiveInfinity; break;
            case "patience exhausted without ending":
                // Unaltered: the run's best epoch is 1, so after epoch 2 it has waited 1 epoch; a trainer with patience 1 would have stopped.
                return (setup with { Options = setup.Options with { EarlyStopping = new EarlyStopping(patience: 1) { Monitor = MonitoredMetric.ValidationAccuracy } } }, real);
            default: throw new ArgumentOutOfRangeException(nameof(problem), problem, null);
        }

        string altered = Path.Combine(directory, $"{problem}-altered.ckpt");
        new Checkpoint<double>(real.Network, real.OptimizerState, epoch, state).Save(altered);
        return (setup, Checkpoint<double>.Load(altered));
    }
}
