using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Data;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Serialization;
using NeuralNet.Training;

namespace NeuralNet.Tests.Training;

/// <summary>
/// Resume refuses a checkpoint made with other layer settings or another optimizer, naming the difference, before
/// anything changes: the layers' configurations are compared, and the optimizer's state buffers must be its own.
/// </summary>
public sealed class ResumeSettingsTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("nnet-resume-settings-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Theory]
    [InlineData(0.2, 1e-5, "*batch_norm_1d setting 'momentum' 0.2 vs 0.1*")]
    [InlineData(0.1, 1e-3, "*batch_norm_1d setting 'epsilon' 0.001 vs 1E-05*")]
    public void Resume_WithOtherBatchNormSettings_IsRefusedNamingTheSetting(double momentum, double epsilon, string message)
    {
        string path = Checkpoint(new BatchNorm1d<double>(3), () => new Sgd<double>(0.1, momentum: 0.9));
        Network<double> network = Build(new BatchNorm1d<double>(3, momentum, epsilon));
        double[] before = network.Parameters[0].ValueSpan.ToArray();
        var trainer = new Trainer<double>(network, new CrossEntropyLoss<double>(), new Sgd<double>(0.1, momentum: 0.9), Options(path));

        Action resume = () => trainer.Resume(Checkpoint<double>.Load(path), Data());

        resume.Should().Throw<ArgumentException>().WithMessage($"Layer 1 is BatchNorm1d(3)*{message}");
        network.Parameters[0].ValueSpan.ToArray().Should().Equal(before);
    }

    [Theory]
    [InlineData(0.9)]
    [InlineData(0.0)]
    public void Resume_OfAnSgdCheckpointByAnAdamTrainer_IsRefusedNamingBoth(double momentum)
    {
        // Plain SGD (momentum 0) keeps no buffers, so only the stored optimizer kind can tell.
        string path = Checkpoint(new BatchNorm1d<double>(3), () => new Sgd<double>(0.1, momentum: momentum));
        Network<double> network = Build(new BatchNorm1d<double>(3));
        double[] before = network.Parameters[0].ValueSpan.ToArray();
        var adam = new Adam<double>(0.01);
        var trainer = new Trainer<double>(network, new CrossEntropyLoss<double>(), adam, Options(path));

        Action resume = () => trainer.Resume(Checkpoint<double>.Load(path), Data());

        resume.Should().Throw<ArgumentException>().WithMessage("*made with optimizer = Sgd, this trainer has Adam*");
        network.Parameters[0].ValueSpan.ToArray().Should().Equal(before);
        adam.GetState(network.Parameters).StepCount.Should().Be(0);
    }

    private string Checkpoint(BatchNorm1d<double> norm, Func<IOptimizer<double>> optimizer)
    {
        string path = Path.Combine(directory, $"{Guid.NewGuid():N}.ckpt");
        var options = new TrainerOptions { Epochs = 1, BatchSize = 4, Seed = 2, CheckpointPath = path };
        new Trainer<double>(Build(norm), new CrossEntropyLoss<double>(), optimizer(), options).Fit(Data());
        return path;
    }

    private static TrainerOptions Options(string path) => new() { Epochs = 3, BatchSize = 4, Seed = 2, CheckpointPath = path };

    private static Network<double> Build(BatchNorm1d<double> norm) =>
        new(new Linear<double>(2, 3, new Random(1)), norm, new Relu<double>(), new Linear<double>(3, 2, new Random(2)));

    private static Dataset<double> Data() =>
        Dataset<double>.ForClassification(Matrix<double>.Build.Dense(2, 8, (i, j) => Math.Sin(i + (3 * j))), [0, 1, 0, 1, 1, 0, 1, 0]);
}
