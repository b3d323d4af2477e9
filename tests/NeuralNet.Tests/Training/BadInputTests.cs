using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Data;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Training;

namespace NeuralNet.Tests.Training;

/// <summary>Bad input gets a clear exception naming what is wrong, and a failed call leaves the network unchanged.</summary>
public sealed class BadInputTests
{
    [Fact]
    public void Forward_MismatchedShape_ThrowsNamingTheLayerAndBothShapes()
    {
        var layer = new Linear<float>(4, 3, new Random(1));

        Action act = () => layer.Forward(Matrix<float>.Build.Dense(5, 2));

        act.Should().Throw<ArgumentException>().WithMessage("*Linear(4 → 3)*4 features*5 × 2*");
    }

    [Fact]
    public void Backward_MismatchedGradientShape_ThrowsNamingTheLayerAndBothShapes()
    {
        var layer = new Relu<float>();
        layer.Forward(Matrix<float>.Build.Dense(3, 2, 1f));

        Action act = () => layer.Backward(Matrix<float>.Build.Dense(2, 3));

        act.Should().Throw<ArgumentException>().WithMessage("*ReLU*3 × 2*2 × 3*");
    }

    [Fact]
    public void Network_LayersThatDoNotFit_AreRefusedWhenBuilt()
    {
        var random = new Random(1);
        Action act = () => _ = new Network<float>(new Linear<float>(4, 8, random), new Relu<float>(), new Linear<float>(6, 2, random));

        act.Should().Throw<ArgumentException>().WithMessage("*Layer 2 Linear(6 → 2) expects input samples of shape (6), but the layers before it produce (8)*");
    }

    [Fact]
    public void Fit_WrongFeatureCount_IsRefusedBeforeTraining()
    {
        (Network<float> network, _) = TrainerTests.SmallProblem(3);
        float[][] before = TrainerTests.Snapshot(network);
        var data = Dataset<float>.ForClassification(Matrix<float>.Build.Dense(5, 4), [0, 1, 0, 1]);

        Action act = () => Trainer(network).Fit(data);

        act.Should().Throw<ArgumentException>().WithMessage("*5 features*Linear(3 → 6)*expects 3*");
        TrainerTests.Snapshot(network).Should().BeEquivalentTo(before, o => o.WithStrictOrdering());
    }

    [Fact]
    public void Fit_LabelOutOfRange_IsRefusedAndTheNetworkIsUnchanged()
    {
        (Network<float> network, Dataset<float> good) = TrainerTests.SmallProblem(3);
        float[][] before = TrainerTests.Snapshot(network);
        int[] labels = [.. good.Labels!];
        labels[^1] = 2; // the network has 2 outputs
        var bad = Dataset<float>.ForClassification(good.Features, labels);

        Action act = () => Trainer(network).Fit(bad);

        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage($"*Label 2 of sample {labels.Length - 1}*2 outputs*");
        TrainerTests.Snapshot(network).Should().BeEquivalentTo(before, o => o.WithStrictOrdering());
    }

    [Fact]
    public void Dataset_NegativeLabel_IsRefused()
    {
        Action act = () => Dataset<float>.ForClassification(Matrix<float>.Build.Dense(2, 2), [0, -1]);
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*label -1 of sample 1*");
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public void FitAndPredict_NonFiniteInput_IsRefused(float value)
    {
        (Network<float> network, Dataset<float> good) = TrainerTests.SmallProblem(3);
        float[][] before = TrainerTests.Snapshot(network);
        Matrix<float> features = good.Features.Clone();
        features[1, 7] = value;
        var bad = Dataset<float>.ForClassification(features, good.Labels!);

        Action fit = () => Trainer(network).Fit(bad);
        Action predict = () => network.Predict(features);

        fit.Should().Throw<ArgumentException>().WithMessage($"*{value}*feature 1 of sample 7*");
        predict.Should().Throw<ArgumentException>().WithMessage($"*{value}*feature 1 of sample 7*");
        TrainerTests.Snapshot(network).Should().BeEquivalentTo(before, o => o.WithStrictOrdering());
    }

    [Fact]
    public void Fit_NonFiniteValidationData_IsRefusedBeforeTraining()
    {
        (Network<float> network, Dataset<float> good) = TrainerTests.SmallProblem(3);
        float[][] before = TrainerTests.Snapshot(network);
        Matrix<float> features = good.Features.Clone();
        features[0, 0] = float.NaN;

        Action fit = () => Trainer(network).Fit(good, Dataset<float>.ForClassification(features, good.Labels!));

        fit.Should().Throw<ArgumentException>().WithMessage("*validation*");
        TrainerTests.Snapshot(network).Should().BeEquivalentTo(before, o => o.WithStrictOrdering());
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Fit_NonFiniteRegressionTarget_IsRefusedBeforeTraining(double value)
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
    public void Fit_BatchNormWithALastBatchOfOne_IsRefusedBeforeTraining()
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

    [Theory]
    [InlineData(0, 10)]
    [InlineData(-1, 10)]
    [InlineData(10, 0)]
    [InlineData(10, -5)]
    public void Trainer_NonPositiveBatchSizeOrEpochs_IsRefused(int batchSize, int epochs)
    {
        (Network<float> network, _) = TrainerTests.SmallProblem(3);

        Action act = () => _ = new Trainer<float>(network, new CrossEntropyLoss<float>(), new Sgd<float>(0.1),
            new TrainerOptions { BatchSize = batchSize, Epochs = epochs });

        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage(batchSize < 1 ? "*batch size*" : "*epochs*");
    }

    [Fact]
    public void Fit_RegressionLossWithClassLabels_IsRefused()
    {
        (Network<float> network, Dataset<float> data) = TrainerTests.SmallProblem(3);

        Action act = () => new Trainer<float>(network, new MeanSquaredErrorLoss<float>(), new Sgd<float>(0.1)).Fit(data);

        act.Should().Throw<ArgumentException>().WithMessage("*MeanSquaredError needs target values*");
    }

    [Fact]
    public void LearningRate_SetInvalid_LeavesTheOldOne()
    {
        var sgd = new Sgd<float>(0.1);

        Action act = () => sgd.LearningRate = double.NaN;

        act.Should().Throw<ArgumentOutOfRangeException>();
        sgd.LearningRate.Should().Be(0.1);
    }

    private static Trainer<float> Trainer(Network<float> network) =>
        new(network, new CrossEntropyLoss<float>(), new Sgd<float>(0.1, momentum: 0.9), new TrainerOptions { Epochs = 2, BatchSize = 4 });
}
