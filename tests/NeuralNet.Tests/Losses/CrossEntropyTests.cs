using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Training;

namespace NeuralNet.Tests.Losses;

public sealed class CrossEntropyTests
{
    [Fact]
    public void Compute_LogitsOfPlusMinus1000_StaysFiniteAndExact()
    {
        var loss = new CrossEntropyLoss<float>();
        Matrix<float> z = Matrix<float>.Build.DenseOfColumnArrays([1000f, -1000f, 0f]);
        var gradient = Matrix<float>.Build.Dense(3, 1);

        // LSE = 1000 + log(1 + e⁻²⁰⁰⁰ + e⁻¹⁰⁰⁰) = 1000 exactly in float.
        loss.Compute(z, [1], gradient).Should().Be(2000f);
        loss.Compute(z, [2], gradient).Should().Be(1000f);
        loss.Compute(z, [0], gradient).Should().Be(0f);
        gradient.Enumerate().Should().Equal(0f, 0f, 0f);
    }

    [Fact]
    public void Compute_ConfidentCorrectPrediction_IsNearZero()
    {
        var loss = new CrossEntropyLoss<double>();
        Matrix<double> z = Matrix<double>.Build.DenseOfColumnArrays([20.0, 0.0, 0.0]);

        double value = loss.Compute(z, [0], null);

        // log(1 + x) with x = 2e⁻²⁰ ≈ 4.1e-9, by its series x − x²/2 + x³/3 (the next term is below 1e-34).
        double x = 2 * Math.Exp(-20);
        value.Should().BeApproximately(x - (x * x / 2) + (x * x * x / 3), 1e-22).And.BeLessThan(1e-8);
    }

    [Fact]
    public void Compute_OrdinaryLogits_MatchesNegativeLogSoftmax()
    {
        double[] logits = [1.0, 2.0, 0.5];
        double expected = -Math.Log(Math.Exp(2.0) / logits.Sum(Math.Exp));

        new CrossEntropyLoss<double>().Compute(Matrix<double>.Build.DenseOfColumnArrays(logits), [1], null)
            .Should().BeApproximately(expected, 1e-14);
    }

    [Fact]
    public void Compute_OneHotTargets_EqualsClassLabels()
    {
        var loss = new CrossEntropyLoss<double>();
        Matrix<double> z = Matrix<double>.Build.DenseOfColumnArrays([0.1, 0.7, -0.3], [2.0, -1.0, 0.4]);
        Matrix<double> oneHot = Matrix<double>.Build.DenseOfColumnArrays([0.0, 1.0, 0.0], [0.0, 0.0, 1.0]);
        var g1 = Matrix<double>.Build.Dense(3, 2);
        var g2 = Matrix<double>.Build.Dense(3, 2);

        double fromLabels = loss.Compute(z, [1, 2], g1);
        double fromTargets = loss.Compute(z, oneHot, g2);

        fromTargets.Should().BeApproximately(fromLabels, 1e-15);
        (g1 - g2).FrobeniusNorm().Should().BeLessThan(1e-15);
    }

    [Fact]
    public void Compute_OutOfRangeLabel_IsRefusedNamingTheSample()
    {
        var loss = new CrossEntropyLoss<float>();
        Matrix<float> z = Matrix<float>.Build.Dense(3, 2);

        Action act = () => loss.Compute(z, [0, 3], null);

        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*label 3 of sample 1*3 classes*");
    }

    [Fact]
    public void CrossEntropy_BehindASoftmaxLayer_IsRefusedByTheTrainer()
    {
        var random = new Random(1);
        var network = new Network<float>(new Linear<float>(2, 3, random), new Softmax<float>());

        Action act = () => _ = new Trainer<float>(network, new CrossEntropyLoss<float>(), new Sgd<float>(0.1));

        act.Should().Throw<InvalidOperationException>().WithMessage("*softmax would be applied twice*");
    }

    [Fact]
    public void CrossEntropy_BehindSoftmaxAndPassThroughLayers_IsStillRefused()
    {
        var random = new Random(1);
        var network = new Network<float>(new Linear<float>(2, 3, random), new Softmax<float>(), new Dropout<float>(0.1, seed: 1), new Identity<float>());

        Action act = () => _ = new Trainer<float>(network, new CrossEntropyLoss<float>(), new Sgd<float>(0.1));

        act.Should().Throw<InvalidOperationException>().WithMessage("*softmax would be applied twice*");
    }
}
