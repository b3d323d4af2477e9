using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Diagnostics;
using NeuralNet.Layers;
using NeuralNet.Losses;

namespace NeuralNet.Tests.Diagnostics;

/// <summary>
/// The test suite's one finite-difference oracle: it must pass correct gradients, fail wrong ones, and leave what it
/// checks as it found it.
/// </summary>
public sealed class GradientCheckTests
{
    [Fact]
    public void Layer_WithAnInputGradientOffBy1e5_FailsNamingTheInput()
    {
        var random = new Random(1);
        var layer = new SkewedBackward(new Linear<double>(4, 3, random), inputGradientFactor: 1 + 1e-5);

        GradientCheckReport report = GradientCheck.Layer(layer, RandomValues.NormalMatrix(4, 5, random));

        report.Passed.Should().BeFalse();
        report.Worst[0].Tensor.Should().Be("input");
        report.Worst[0].Passed.Should().BeFalse();
        report.ToString().Should().StartWith("Gradient check of Skewed(Linear(4 → 3)): FAILED (35 entries of input, weight, bias)").And.Contain("← fails");
    }

    [Fact]
    public void Layer_WithTheSameLayerUnskewed_Passes()
    {
        var random = new Random(1);
        var layer = new SkewedBackward(new Linear<double>(4, 3, random), inputGradientFactor: 1);

        GradientCheckReport report = GradientCheck.Layer(layer, RandomValues.NormalMatrix(4, 5, random));

        report.Passed.Should().BeTrue(report.ToString());
        report.ToString().Should().StartWith("Gradient check of Skewed(Linear(4 → 3)): passed (35 entries of input, weight, bias)");
    }

    [Fact]
    public void Loss_WhoseGradientForgetsTheBatchMean_Fails()
    {
        var random = new Random(2);
        var loss = new SummedGradient(new CrossEntropyLoss<double>());

        GradientCheckReport report = GradientCheck.Loss(loss, RandomValues.NormalMatrix(3, 4, random), [0, 2, 1, 1]);

        report.Passed.Should().BeFalse();
        report.Worst.Should().OnlyContain(e => e.Tensor == "output");
        report.Worst[0].Analytic.Should().BeApproximately(4 * report.Worst[0].Numeric, 1e-6, "the gradient is N times too large");
    }

    [Fact]
    public void Network_ChecksTheInputAndEveryParameterOfEveryLayer()
    {
        var random = new Random(3);
        var network = new Network<double>(new Linear<double>(3, 5, random), new Tanh<double>(), new Linear<double>(5, 2, random));

        GradientCheckReport report = GradientCheck.Network(network, new CrossEntropyLoss<double>(), RandomValues.NormalMatrix(3, 4, random), [0, 1, 1, 0]);

        report.Passed.Should().BeTrue(report.ToString());
        report.Tensors.Should().Equal("input", "layer 0 weight", "layer 0 bias", "layer 2 weight", "layer 2 bias");
        report.EntriesChecked.Should().Be((3 * 4) + (5 * 3) + 5 + (2 * 5) + 2);
    }

    [Fact]
    public void Layer_LeavesTheInputAndTheRunningStatisticsAsTheyWere()
    {
        var random = new Random(4);
        var layer = new BatchNorm1d<double>(3, momentum: 0.5);
        layer.Forward(RandomValues.NormalMatrix(3, 6, random));
        double[] mean = layer.RunningMean.ToArray();
        double[] variance = layer.RunningVariance.ToArray();
        Matrix<double> input = RandomValues.NormalMatrix(3, 6, random);
        Matrix<double> copy = input.Clone();

        GradientCheckReport report = GradientCheck.Layer(layer, input);

        report.Passed.Should().BeTrue(report.ToString());
        input.Should().Be(copy);
        layer.RunningMean.ToArray().Should().Equal(mean);
        layer.RunningVariance.ToArray().Should().Equal(variance);
    }

    [Theory]
    [InlineData(0.0, 1e-6, 1e-2)]
    [InlineData(double.PositiveInfinity, 1e-6, 1e-2)]
    [InlineData(1e-6, 0.0, 1e-2)]
    [InlineData(1e-6, 1e-6, -1.0)]
    public void Options_WithANonPositiveOrInfiniteSetting_AreRejected(double step, double tolerance, double floor)
    {
        var options = new GradientCheckOptions { Step = step, RelativeTolerance = tolerance, Floor = floor };

        FluentActions.Invoking(() => GradientCheck.Layer(new Tanh<double>(), Matrix<double>.Build.Dense(2, 2), options))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*GradientCheckOptions*");
    }

    /// <summary>A layer whose input gradient is scaled by a factor: a wrong backward pass when the factor is not 1.</summary>
    private sealed class SkewedBackward(ILayer<double> inner, double inputGradientFactor) : ILayer<double>
    {
        public string Name => $"Skewed({inner.Name})";

        public Shape? InputShape => inner.InputShape;

        public IReadOnlyList<Parameter<double>> Parameters => inner.Parameters;

        public Shape GetOutputShape(Shape inputShape) => inner.GetOutputShape(inputShape);

        public LayerConfig GetConfig() => new("skewed");

        public Matrix<double> Forward(Matrix<double> input) => inner.Forward(input);

        public Matrix<double> Backward(Matrix<double> outputGradient) => inner.Backward(outputGradient) * inputGradientFactor;

        public void Predict(Matrix<double> input, Matrix<double> output) => inner.Predict(input, output);
    }

    /// <summary>A loss whose gradient is the batch sum instead of the batch mean (the value is right).</summary>
    private sealed class SummedGradient(ILoss<double> inner) : ILoss<double>
    {
        public string Name => $"SummedGradient({inner.Name})";

        public bool ExpectsLogits => inner.ExpectsLogits;

        public double Compute(Matrix<double> output, ReadOnlySpan<int> labels, Matrix<double>? outputGradient)
        {
            double value = inner.Compute(output, labels, outputGradient);
            outputGradient?.Multiply(output.ColumnCount, outputGradient);
            return value;
        }

        public double Compute(Matrix<double> output, Matrix<double> targets, Matrix<double>? outputGradient)
        {
            double value = inner.Compute(output, targets, outputGradient);
            outputGradient?.Multiply(output.ColumnCount, outputGradient);
            return value;
        }
    }

    [Fact]
    public void Layer_NumericEstimateNotFinite_Fails()
    {
        // y = √x at x = 5e-7: the step of 1e-6 reaches below 0, so the central difference is NaN.
        GradientCheckReport report = GradientCheck.Layer(new SquareRoot(), Matrix<double>.Build.DenseOfColumnArrays([5e-7, 1.0]));

        report.Passed.Should().BeFalse();
        report.EntriesFailed.Should().Be(1);
        report.Worst[0].Index.Should().Be(0);
    }

    /// <summary>y = √x, correct where it is defined.</summary>
    private sealed class SquareRoot : ElementwiseActivation<double>
    {
        public override string Name => "SquareRoot";

        public override LayerConfig GetConfig() => new("test_square_root");

        public override OnnxForm ToOnnx() => OnnxForm.NotSupported("test");

        protected override void Activate(ReadOnlySpan<double> x, Span<double> y)
        {
            for (int i = 0; i < x.Length; i++)
            {
                y[i] = Math.Sqrt(x[i]);
            }
        }

        protected override void Differentiate(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> dy, Span<double> dx)
        {
            for (int i = 0; i < x.Length; i++)
            {
                dx[i] = dy[i] / (2 * y[i]);
            }
        }
    }
}
