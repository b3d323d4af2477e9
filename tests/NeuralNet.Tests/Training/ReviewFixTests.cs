using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Data;
using NeuralNet.Diagnostics;
using NeuralNet.Initializers;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Schedules;
using NeuralNet.Training;

namespace NeuralNet.Tests.Training;

/// <summary>Cases found in review: each failed before its fix.</summary>
public sealed class ReviewFixTests
{
    [Fact]
    public void EarlyStoppingRestoresBatchNormStatisticsWithTheBestWeights()
    {
        // Random labels on few samples: the network memorises them, so the validation loss turns up early.
        var random = new Random(12);
        Matrix<double> x = RandomValues.NormalMatrix(5, 80, random);
        int[] labels = [.. Enumerable.Range(0, 80).Select(_ => random.Next(3))];
        var network = new Network<double>(
            new Linear<double>(5, 32, random, Initializer.HeNormal), new BatchNorm1d<double>(32), new ReLU<double>(),
            new Linear<double>(32, 3, random));
        var trainer = new Trainer<double>(network, new CrossEntropyLoss<double>(), new Sgd<double>(0.2, momentum: 0.9),
            new TrainerOptions { Epochs = 60, BatchSize = 8, Seed = 3, ValidationSplit = 0.25, EarlyStopping = new EarlyStopping(patience: 4) });
        var data = Dataset<double>.ForClassification(x, labels, 3);

        TrainingHistory history = trainer.Fit(data);

        int best = history.BestEpoch!.Value;
        best.Should().BeLessThan(history.Count, "the run must have gone past its best epoch for the restore to matter");
        (Dataset<double> _, Dataset<double> validation) = data.Split(0.75, 3);
        trainer.Evaluate(validation).Loss.Should().Be(history[best - 1].ValidationLoss!.Value);
    }

    [Fact]
    public void CrossEntropyGradientIsRightForTargetsThatDoNotSumToOne()
    {
        Matrix<double> z = Matrix<double>.Build.DenseOfColumnArrays([0.3, -0.8, 1.1], [2.0, 0.1, -0.4]);
        Matrix<double> t = Matrix<double>.Build.DenseOfColumnArrays([0.5, 0.5, 0.5], [0.0, 2.0, 0.25]);

        GradientCheckReport report = GradientCheck.LossWithTargets(new CrossEntropyLoss<double>(), z, t);

        report.Passed.Should().BeTrue(report.ToString());
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void NonFiniteRegressionTargetIsRefusedBeforeTraining(double value)
    {
        Dataset<double> line = TinyProblems.Line(2.0);
        Network<double> network = TinyProblems.ZeroLine();
        double[] before = TinyProblems.Weights(network);
        Matrix<double> targets = line.Targets!.Clone();
        targets[0, 3] = value;

        Action act = () => new Trainer<double>(network, new MeanSquaredErrorLoss<double>(), new Sgd<double>(0.01),
            new TrainerOptions { Epochs = 2, BatchSize = 2 }).Fit(Dataset<double>.ForRegression(line.Features, targets));

        act.Should().Throw<ArgumentException>().WithMessage($"*{value}*sample 3*");
        TinyProblems.Weights(network).Should().Equal(before);
    }

    [Fact]
    public void BatchNormWithALastBatchOfOneIsRefusedBeforeTraining()
    {
        var random = new Random(2);
        var network = new Network<double>(new Linear<double>(2, 4, random), new BatchNorm1d<double>(4), new Linear<double>(4, 2, random));
        double[] before = TinyProblems.Weights(network);
        Dataset<double> nine = TinyProblems.Blobs(5, 1).Subset([.. Enumerable.Range(0, 9)]);

        Action act = () => new Trainer<double>(network, new CrossEntropyLoss<double>(), new Sgd<double>(0.1),
            new TrainerOptions { Epochs = 1, BatchSize = 4 }).Fit(nine);

        act.Should().Throw<ArgumentException>().WithMessage("*BatchNorm1d*9 training samples in batches of 4*last batch of 1*");
        TinyProblems.Weights(network).Should().Equal(before);
    }

    [Fact]
    public void SoftmaxFollowedByPassThroughLayersIsStillRefusedInFrontOfCrossEntropy()
    {
        var random = new Random(1);
        var network = new Network<float>(new Linear<float>(2, 3, random), new Softmax<float>(), new Dropout<float>(0.1, seed: 1), new Identity<float>());

        Action act = () => _ = new Trainer<float>(network, new CrossEntropyLoss<float>(), new Sgd<float>(0.1));

        act.Should().Throw<InvalidOperationException>().WithMessage("*softmax would be applied twice*");
    }

    [Theory]
    [InlineData(1.5)]
    [InlineData(double.PositiveInfinity)]
    public void DecayFactorsAboveOneAreRefused(double gamma)
    {
        FluentActions.Invoking(() => new ExponentialSchedule(gamma)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*(0, 1]*");
        FluentActions.Invoking(() => new StepDecaySchedule(3, gamma)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*(0, 1]*");
    }

    [Fact]
    public void SoftplusAndEluKeepTheirTinyValuesInFloat()
    {
        Matrix<float> x = Matrix<float>.Build.DenseOfColumnArrays([-20f, -40f, 1e-6f, -1e-7f]);

        Matrix<float> softplus = new Softplus<float>().Forward(x);
        Matrix<float> elu = new Elu<float>(2.0).Forward(x);

        softplus[0, 0].Should().BeApproximately((float)Math.Exp(-20), 1e-6f * (float)Math.Exp(-20)); // log(1 + e⁻²⁰) ≈ e⁻²⁰
        softplus[1, 0].Should().BeApproximately((float)Math.Exp(-40), 1e-6f * (float)Math.Exp(-40));
        elu[3, 0].Should().BeApproximately(2 * -1e-7f, 1e-6f * 2e-7f);                                // 2(e^x − 1) ≈ 2x
    }
}
