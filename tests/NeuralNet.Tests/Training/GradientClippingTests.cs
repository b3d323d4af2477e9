using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Data;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Training;

namespace NeuralNet.Tests.Training;

public sealed class GradientClippingTests
{
    private static (double[] Before, double[] After, List<double?> Norms, List<double> ClippedNorms) OneStep(double? clip, double learningRate = 0.1)
    {
        Network<double> network = TinyProblems.SmallClassifier(4);
        double[] before = TinyProblems.Weights(network);
        var trainer = new Trainer<double>(network, new CrossEntropyLoss<double>(), new Sgd<double>(learningRate), new TrainerOptions
        {
            Epochs = 1,
            BatchSize = 100,
            GradientClipNorm = clip,
        });
        var norms = new List<double?>();
        var clippedNorms = new List<double>();
        trainer.Callbacks.Add(new DelegateCallback(onBatch: c =>
        {
            norms.Add(c.GradientNorm);
            clippedNorms.Add(Math.Sqrt(c.Network.Parameters.Sum(p => p.Gradient.Enumerate().Sum(g => g * g))));
        }));
        trainer.Fit(TinyProblems.Blobs(20, 1));
        return (before, TinyProblems.Weights(network), norms, clippedNorms);
    }

    [Fact]
    public void GradientClipping_CapsTheGlobalNormAndKeepsTheDirection()
    {
        (double[] before, double[] unclipped, List<double?> _, List<double> rawNorms) = OneStep(null);
        double raw = rawNorms.Single();
        raw.Should().BeGreaterThan(0.2, "the test needs a gradient larger than the cap");

        (_, double[] clipped, List<double?> seen, List<double> clippedNorms) = OneStep(0.1);
        seen.Single().Should().BeApproximately(raw, 1e-12, "the context reports the norm before clipping");
        clippedNorms.Single().Should().BeApproximately(0.1, 1e-12);

        // One SGD step: Δθ = −η g, so the clipped step is the unclipped one scaled by 0.1 / ‖g‖ and has length η · 0.1.
        double[] stepUnclipped = unclipped.Zip(before, (a, b) => a - b).ToArray();
        double[] stepClipped = clipped.Zip(before, (a, b) => a - b).ToArray();
        stepClipped.Should().Equal(stepUnclipped.Select(s => s * 0.1 / raw), (a, e) => Math.Abs(a - e) <= 1e-14);
        Math.Sqrt(stepClipped.Sum(s => s * s)).Should().BeApproximately(0.1 * 0.1, 1e-13);
    }

    [Fact]
    public void GradientClipping_GradientBelowTheCap_IsLeftAlone()
    {
        (_, double[] unclipped, _, _) = OneStep(null);
        (_, double[] loose, List<double?> norms, _) = OneStep(1e6);
        loose.Should().Equal(unclipped);
        norms.Single().Should().NotBeNull();
    }

    [Fact]
    public void Fit_WithoutClipping_DoesNotComputeTheNorm()
    {
        (_, _, List<double?> norms, _) = OneStep(null);
        norms.Single().Should().BeNull();
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void GradientClipping_NonPositiveOrNonFiniteCap_IsRejected(double clip)
    {
        FluentActions.Invoking(() => new Trainer<double>(TinyProblems.SmallClassifier(1), new CrossEntropyLoss<double>(), new Sgd<double>(0.1),
                new TrainerOptions { GradientClipNorm = clip }))
            .Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "GradientClipNorm");
    }

    [Fact]
    public void GradientClipping_FloatGradientWhoseSquaresOverflowFloat_IsClippedNotReportedAsDivergence()
    {
        // y = w·x + b with w = 1, b = 0 on one sample x = 1e11, target 0: the loss (1e22) and ∂L/∂w = 2·x·(y − t) = 2e22
        // are finite floats and so is the norm, but (2e22)² = 4e44 is not, so the sum of squares must not be taken in float.
        var data = Dataset<float>.ForRegression(Matrix<float>.Build.Dense(1, 1, 1e11f), Matrix<float>.Build.Dense(1, 1));
        var linear = new Linear<float>(Matrix<float>.Build.Dense(1, 1, 1f), Vector<float>.Build.Dense(1));
        var trainer = new Trainer<float>(new Network<float>(linear), new MeanSquaredErrorLoss<float>(), new Sgd<float>(0.5), new TrainerOptions
        {
            Epochs = 1,
            BatchSize = 1,
            GradientClipNorm = 1,
        });
        double? norm = null;
        double clippedNorm = double.NaN;
        trainer.Callbacks.Add(new FloatCallback(c =>
        {
            norm = c.GradientNorm;
            clippedNorm = Math.Sqrt(c.Network.Parameters.Sum(p => p.Gradient.Enumerate().Sum(g => (double)g * g)));
        }));

        trainer.Fit(data);

        norm!.Value.Should().BeApproximately(2e22, 2e22 * 1e-6);
        clippedNorm.Should().BeApproximately(1, 1e-6);
        linear.Weights[0, 0].Should().BeApproximately(0.5f, 1e-6f, "one step w − η·1 with the clipped ∂L/∂w ≈ 1");
    }

    [Theory]
    [InlineData(3e200, 4e200, 5e200)]
    [InlineData(double.PositiveInfinity, 1.0, double.PositiveInfinity)]
    [InlineData(double.NaN, 1.0, double.NaN)]
    public void GlobalNorm_OfDoubleGradientsWithSquaresBeyondDouble_Survives(double first, double second, double expected)
    {
        var a = new Parameter<double>("a", 1, 1);
        var b = new Parameter<double>("b", 2, 1);
        a.GradientSpan[0] = first;
        b.GradientSpan[1] = second;

        double norm = GradientClipping.GlobalNorm<double>([a, b]);

        if (double.IsFinite(expected))
        {
            norm.Should().BeApproximately(expected, expected * 1e-15);
        }
        else
        {
            norm.Should().Be(expected);
        }
    }

    private sealed class FloatCallback(Action<TrainingContext<float>> onBatch) : ITrainingCallback<float>
    {
        public void OnBatchEnd(TrainingContext<float> context) => onBatch(context);
    }
}
