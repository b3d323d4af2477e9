using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Data;
using NeuralNet.Diagnostics;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Training;

namespace NeuralNet.Tests.Losses;

/// <summary>BCEWithLogits (PyTorch's definition, with pos_weight) against the textbook formula, extreme logits and finite differences.</summary>
public sealed class BinaryCrossEntropyWithLogitsTests
{
    [Fact]
    public void Compute_OrdinaryLogits_MatchesTheTextbookFormulaOverBatchTimesOutputs()
    {
        Matrix<double> x = Matrix<double>.Build.DenseOfColumnArrays([0.3, -1.2, 2.0], [-0.7, 0.0, 4.5]);
        Matrix<double> y = Matrix<double>.Build.DenseOfColumnArrays([1.0, 0.0, 0.25], [0.0, 1.0, 1.0]);

        double expected = 0;
        for (int j = 0; j < 2; j++)
        {
            for (int i = 0; i < 3; i++)
            {
                double s = 1 / (1 + Math.Exp(-x[i, j]));
                expected -= (y[i, j] * Math.Log(s)) + ((1 - y[i, j]) * Math.Log(1 - s));
            }
        }

        new BinaryCrossEntropyWithLogitsLoss<double>().Compute(x, y, null).Should().BeApproximately(expected / 6, 1e-14);
        new BinaryCrossEntropyWithLogitsLoss<double>(reduction: Reduction.Sum).Compute(x, y, null).Should().BeApproximately(expected, 1e-14);
    }

    [Fact]
    public void Compute_LogitOfZero_IsLogTwo()
    {
        Matrix<double> x = Matrix<double>.Build.Dense(1, 1);
        new BinaryCrossEntropyWithLogitsLoss<double>().Compute(x, Matrix<double>.Build.Dense(1, 1, 1.0), null).Should().BeApproximately(Math.Log(2), 1e-16);
    }

    [Fact]
    public void Compute_LogitsOfPlusMinus1000_StayFiniteAndExact()
    {
        var loss = new BinaryCrossEntropyWithLogitsLoss<float>(reduction: Reduction.None);
        Matrix<float> x = Matrix<float>.Build.DenseOfColumnArrays([1000f], [-1000f], [1000f], [-1000f]);
        Matrix<float> y = Matrix<float>.Build.DenseOfColumnArrays([0f], [1f], [1f], [0f]);
        var losses = new float[4];

        loss.ComputePerSample(x, y, losses);

        losses.Should().Equal(1000f, 1000f, 0f, 0f);
    }

    [Fact]
    public void Compute_PosWeight_ScalesOnlyThePositiveTerm()
    {
        // Output 0 has p = 3, output 1 has p = 0.5; σ(x) by the naive formula.
        Matrix<double> x = Matrix<double>.Build.DenseOfColumnArrays([0.5, -0.25]);
        Matrix<double> y = Matrix<double>.Build.DenseOfColumnArrays([1.0, 0.4]);
        double s0 = 1 / (1 + Math.Exp(-0.5)), s1 = 1 / (1 + Math.Exp(0.25));
        double expected = (-3 * Math.Log(s0)) - ((0.5 * 0.4 * Math.Log(s1)) + (0.6 * Math.Log(1 - s1)));
        var losses = new double[1];

        new BinaryCrossEntropyWithLogitsLoss<double>(posWeight: [3, 0.5]).ComputePerSample(x, y, losses);

        losses[0].Should().BeApproximately(expected, 1e-14);
    }

    [Fact]
    public void Compute_WithoutPosWeight_GradientIsSigmoidMinusTargetOverCount()
    {
        Matrix<double> x = Matrix<double>.Build.DenseOfColumnArrays([0.3, -1.2], [2.0, 0.1]);
        Matrix<double> y = Matrix<double>.Build.DenseOfColumnArrays([1.0, 0.0], [0.5, 1.0]);
        var gradient = Matrix<double>.Build.Dense(2, 2);

        new BinaryCrossEntropyWithLogitsLoss<double>().Compute(x, y, gradient);

        Matrix<double> expected = (x.Map(v => 1 / (1 + Math.Exp(-v))) - y) / 4;
        (gradient - expected).FrobeniusNorm().Should().BeLessThan(1e-16);
    }

    [Fact]
    public void Compute_MeanSumAndPosWeight_PassTheGradientCheck()
    {
        var random = new Random(9);
        Matrix<double> x = RandomValues.NormalMatrix(3, 4, random, scale: 3);
        Matrix<double> y = Matrix<double>.Build.Dense(3, 4, (i, j) => ((i + j) % 3) / 2.0);
        foreach (ILoss<double> loss in new ILoss<double>[]
        {
            new BinaryCrossEntropyWithLogitsLoss<double>(),
            new BinaryCrossEntropyWithLogitsLoss<double>(reduction: Reduction.Sum),
            new BinaryCrossEntropyWithLogitsLoss<double>(posWeight: [2.5, 0.0, 1.0]),
        })
        {
            GradientCheckReport report = GradientCheck.LossWithTargets(loss, x, y);
            report.Passed.Should().BeTrue(report.ToString());
        }
    }

    [Theory]
    [InlineData(1.5)]
    [InlineData(-0.1)]
    [InlineData(double.NaN)]
    public void Compute_TargetOutsideZeroOne_IsRefusedNamingTheEntry(double target)
    {
        Matrix<double> x = Matrix<double>.Build.Dense(2, 2);
        Matrix<double> y = Matrix<double>.Build.DenseOfColumnArrays([0.0, 1.0], [target, 0.0]);

        Action act = () => new BinaryCrossEntropyWithLogitsLoss<double>().Compute(x, y, null);

        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*output 0 for sample 1*must be in [0, 1]*");
    }

    [Fact]
    public void Constructor_NegativePosWeight_IsRefused()
    {
        Action act = () => _ = new BinaryCrossEntropyWithLogitsLoss<double>(posWeight: [1.0, -2.0]);
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*positive weight 1 is -2*");
    }

    [Fact]
    public void Compute_PosWeightOfTheWrongLength_IsRefused()
    {
        Action act = () => new BinaryCrossEntropyWithLogitsLoss<double>(posWeight: [1.0, 2.0]).Compute(Matrix<double>.Build.Dense(3, 1), Matrix<double>.Build.Dense(3, 1), null);
        act.Should().Throw<ArgumentException>().WithMessage("*2 positive weights for an output of 3 outputs*");
    }

    [Fact]
    public void Trainer_LabelledDataset_IsRefusedBeforeTraining()
    {
        var network = new Network<double>(new Linear<double>(2, 3, new Random(1)));
        var trainer = new Trainer<double>(network, new BinaryCrossEntropyWithLogitsLoss<double>(), new Sgd<double>(0.1));
        var data = Dataset<double>.ForClassification(Matrix<double>.Build.Dense(2, 4), [0, 1, 2, 0], 3);

        Action act = () => trainer.Fit(data);

        act.Should().Throw<ArgumentException>().WithMessage("BinaryCrossEntropyWithLogits needs target values*");
    }

    [Fact]
    public void Trainer_MultiLabelTargets_LearnsEachLabel()
    {
        // Label 0: x₀ > 0; label 1: x₁ > 0 — two independent yes/no answers per sample.
        var random = new Random(3);
        Matrix<double> x = RandomValues.NormalMatrix(2, 64, random);
        Matrix<double> y = x.Map(v => v > 0 ? 1.0 : 0.0);
        var network = new Network<double>(new Linear<double>(2, 2, random));
        var trainer = new Trainer<double>(network, new BinaryCrossEntropyWithLogitsLoss<double>(), new Adam<double>(0.1),
            new TrainerOptions { Epochs = 60, BatchSize = 16, Seed = 1 });

        TrainingHistory history = trainer.Fit(Dataset<double>.ForRegression(x, y));

        Matrix<double> predicted = network.Predict(x).Map(v => v > 0 ? 1.0 : 0.0);
        double agreement = predicted.Enumerate().Zip(y.Enumerate(), (p, t) => p == t ? 1.0 : 0.0).Average();
        history.Last.TrainingLoss.Should().BeLessThan(history[0].TrainingLoss / 2);
        agreement.Should().BeGreaterThan(0.95);
    }
}
