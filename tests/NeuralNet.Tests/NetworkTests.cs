using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Initializers;
using NeuralNet.Layers;

namespace NeuralNet.Tests;

public sealed class NetworkTests
{
    [Fact]
    public void ToString_ListsLayersAndParameterCounts()
    {
        var random = new Random(1);
        var network = new Network<float>(
            new Linear<float>(784, 128, random, Initializer.HeNormal), new Relu<float>(), new Linear<float>(128, 10, random));

        string text = network.ToString();

        network.ParameterCount.Should().Be(100_480 + 1_290);
        string[] lines = text.Split(Environment.NewLine);
        lines[0].Should().Be("Network<Single> (3 layers)");
        lines[1].Should().MatchRegex(@"^\s+#\s+layer\s+output shape\s+parameters$");
        lines[2].Should().MatchRegex(@"^\s+0\s+Linear\(784 → 128\)\s+\(128\)\s+100,480$");
        lines[3].Should().MatchRegex(@"^\s+1\s+ReLU\s+\(128\)\s+0$");
        lines[4].Should().MatchRegex(@"^\s+2\s+Linear\(128 → 10\)\s+\(10\)\s+1,290$");
        lines[5].Should().Be("input shape: (784)");
        lines[6].Should().Be("trainable parameters: 101,770; non-trainable values: 0; memory: 397.5 KiB");
        network.Layers[0].ToString().Should().Be("Linear(784 → 128, 100,480 parameters)");
    }

    [Fact]
    public void PredictClass_IsTheArgmaxOfTheOutput()
    {
        var weights = Matrix<double>.Build.DenseOfArray(new double[,] { { 1, 0 }, { 0, 1 }, { -1, -1 } });
        var network = new Network<double>(new Linear<double>(weights, MathNet.Numerics.LinearAlgebra.Vector<double>.Build.Dense(3)));
        Matrix<double> x = Matrix<double>.Build.DenseOfColumnArrays([2.0, 1.0], [0.0, 3.0], [-2.0, -1.0]);

        network.PredictClass(x).Should().Equal(0, 1, 2);
        network.PredictClass(x.Column(1)).Should().Be(1);
    }

    [Fact]
    public void Predict_EqualsTrainingForwardAndLeavesTrainingCachesAlone()
    {
        var random = new Random(2);
        var network = new Network<double>(new Linear<double>(3, 4, random), new Sigmoid<double>(), new Linear<double>(4, 2, random), new Softmax<double>());
        Matrix<double> x = RandomValues.NormalMatrix(3, 5, random);
        Matrix<double> other = RandomValues.NormalMatrix(3, 5, random);

        Matrix<double> forward = network.Forward(x).Clone();
        Matrix<double> g = RandomValues.NormalMatrix(2, 5, random);
        Matrix<double> dxBefore = network.Backward(g).Clone();
        network.Forward(x);
        Matrix<double> predicted = network.Predict(other);
        Matrix<double> dxAfter = network.Backward(g);

        (network.Predict(x) - forward).FrobeniusNorm().Should().Be(0);
        predicted.ColumnSums().Enumerate().Should().OnlyContain(s => Math.Abs(s - 1) < 1e-12);
        (dxAfter - dxBefore).FrobeniusNorm().Should().Be(0, "Predict must not overwrite what Forward cached");
    }

    [Fact]
    public void PredictProbabilities_IsTheSoftmaxOfLogits()
    {
        var random = new Random(3);
        var linear = new Linear<double>(2, 3, random);
        Matrix<double> x = RandomValues.NormalMatrix(2, 4, random);

        Matrix<double> fromLogits = new Network<double>(linear).PredictProbabilities(x);
        Matrix<double> fromSoftmax = new Network<double>(linear, new Softmax<double>()).Predict(x);

        (fromLogits - fromSoftmax).FrobeniusNorm().Should().BeLessThan(1e-15);
    }

    [Fact]
    public void PredictProbabilities_SoftmaxFollowedByDropout_IsNotAppliedTwice()
    {
        var network = new Network<double>(new Linear<double>(3, 4, new Random(1)), new Softmax<double>(), new Dropout<double>(0.5, 1));
        Matrix<double> x = Matrix<double>.Build.Dense(3, 2, (i, j) => i - j);

        network.PredictProbabilities(x).Should().Be(network.Predict(x));
    }

    [Fact]
    public void Constructor_ThatFails_LeavesTheLayersFreeToJoinAnotherNetwork()
    {
        var conv = new Conv2d<float>(1, 2, 3, new Random(1));
        var flatten = new Flatten<float>();
        Action wrong = () => _ = new Network<float>(Shape.Of(1, 8, 8), conv, flatten, new Linear<float>(5, 2, new Random(2)));

        wrong.Should().Throw<ArgumentException>();
        var network = new Network<float>(Shape.Of(1, 6, 6), conv, flatten, new Linear<float>(32, 2, new Random(2)));

        network.OutputShape.Should().Be(Shape.Vector(2));
    }
}
