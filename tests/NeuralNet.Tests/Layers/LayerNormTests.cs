using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Diagnostics;
using NeuralNet.Layers;
using NeuralNet.Onnx;

namespace NeuralNet.Tests.Layers;

/// <summary>
/// <see cref="LayerNorm{T}"/> against PyTorch's <c>nn.LayerNorm(features)</c>: per step, <c>(x − μ)/√(σ² + ε)·γ + β</c>
/// with the biased variance, computed in double for float too.
/// </summary>
public sealed class LayerNormTests : ILayerCases, IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("nnet-layernorm-").FullName;

    /// <inheritdoc />
    public IEnumerable<LayerCase> Cases =>
    [
        new("LayerNorm(4) on (3, 4)", () => WithRandomAffine(new LayerNorm<double>(4), seed: 1), Shape.Of(3, 4)),
        new("LayerNorm(5) on (5)", () => WithRandomAffine(new LayerNorm<double>(5, epsilon: 1e-3), seed: 2), Shape.Vector(5)),
        new("LayerNorm(3, no affine) on (2, 3)", () => new LayerNorm<double>(3, elementwiseAffine: false), Shape.Of(2, 3)),
    ];

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void Forward_OfOneStep_MatchesTheHandComputedValues()
    {
        // x = (1, 2, 3, 4): μ = 2.5, biased σ² = 1.25; with ε = 1e-5, y = (x − 2.5)/√1.25001.
        var layer = new LayerNorm<double>(4);
        Matrix<double> y = layer.Forward(Matrix<double>.Build.Dense(4, 1, [1, 2, 3, 4]));

        double s = Math.Sqrt(1.25001);
        y.Column(0).ToArray().Should().Equal([-1.5 / s, -0.5 / s, 0.5 / s, 1.5 / s], (a, e) => Math.Abs(a - e) <= 1e-15);
    }

    [Fact]
    public void ForwardWithWeightAndBias_MatchesTheDefinition_StepByStep()
    {
        var layer = WithRandomAffine(new LayerNorm<double>(5, epsilon: 1e-3), seed: 3);
        Matrix<double> x = RandomValues.NormalMatrix(3 * 5, 4, new Random(4), scale: 3);

        Matrix<double> y = layer.Forward(x);

        y.ToColumnMajorArray().Should().Equal(Reference(x, 5, 1e-3, layer), (a, e) => Math.Abs(a - e) <= 1e-14 * Math.Max(1, Math.Abs(e)));
    }

    [Fact]
    public void FloatFarFromZero_IsComputedInDouble_AndRoundedOnce()
    {
        // Features of about 1e4 with spread 1e-2: a float mean/variance loses the spread; computing in double does not.
        var random = new Random(5);
        var x = Matrix<float>.Build.Dense(8 * 6, 3, (_, _) => (float)(1e4 + (0.01 * random.NextDouble())));
        var layer = new LayerNorm<float>(6);

        float[] y = layer.Forward(x).ToColumnMajorArray();

        double[] expected = Reference(x.Map(v => (double)v), 6, (float)1e-5, null);
        y.Should().Equal(expected.Select(v => (float)v), "each output is the double result rounded once");
        var output = Matrix<float>.Build.Dense(x.RowCount, x.ColumnCount);
        layer.Predict(x, output);
        output.ToColumnMajorArray().Should().Equal(y);
    }

    [Fact]
    public void GradientCheck_OfInputWeightAndBiasOverSeveralStepsAndSamples_Passes()
    {
        var layer = WithRandomAffine(new LayerNorm<double>(4, epsilon: 1e-4), seed: 6);
        Matrix<double> x = RandomValues.NormalMatrix(3 * 4, 5, new Random(7), scale: 2);

        GradientCheckReport report = GradientCheck.Layer(layer, x, new GradientCheckOptions { Seed = 8, RelativeTolerance = 1e-7 });

        report.Passed.Should().BeTrue(report.ToString());
        report.Tensors.Should().Equal("input", "weight", "bias");
    }

    [Fact]
    public void WithoutAffine_HasNoParameters_AndDiffersFromATrainedAffineLayer()
    {
        var plain = new LayerNorm<double>(4, elementwiseAffine: false);
        var affine = WithRandomAffine(new LayerNorm<double>(4), seed: 9);
        Matrix<double> x = RandomValues.NormalMatrix(8, 2, new Random(10));

        plain.Parameters.Should().BeEmpty();
        plain.Forward(x).ToColumnMajorArray().Should().Equal(Reference(x, 4, 1e-5, null), (a, e) => Math.Abs(a - e) <= 1e-14);
        affine.Forward(x).Should().NotBe(plain.Forward(x));
        new LayerNorm<double>(4).Forward(x).ToColumnMajorArray().Should().Equal(plain.Forward(x).ToColumnMajorArray(), "γ starts at 1 and β at 0");
    }

    [Fact]
    public void Epsilon_ChangesTheResult()
    {
        Matrix<double> x = Matrix<double>.Build.Dense(3, 1, [0.1, 0.2, 0.4]);

        new LayerNorm<double>(3, epsilon: 1e-1).Forward(x).Should().NotBe(new LayerNorm<double>(3).Forward(x));
    }

    [Fact]
    public void Predict_OfOneSample_IsTheSameAloneAsInABatch()
    {
        var layer = WithRandomAffine(new LayerNorm<float>(3), seed: 11);
        Matrix<float> batch = RandomValues.NormalMatrix(6, 4, new Random(12)).Map(v => (float)v);
        var all = Matrix<float>.Build.Dense(6, 4);
        var one = Matrix<float>.Build.Dense(6, 1);

        layer.Predict(batch, all);
        layer.Predict(batch.SubMatrix(0, 6, 2, 1), one);

        one.Column(0).Should().Equal(all.Column(2));
    }

    [Fact]
    public void Network_WithAnotherLastDimension_ThrowsNamingTheLayerAndTheShape()
    {
        Action build = () => _ = new Network<float>(Shape.Of(3, 5), new LayerNorm<float>(4));
        Action forward = () => new LayerNorm<float>(4).Forward(Matrix<float>.Build.Dense(10, 2));

        build.Should().Throw<ArgumentException>().WithMessage("*LayerNorm(4): expects input samples of a last dimension of 4 features*got (3, 5).*");
        forward.Should().Throw<ArgumentException>().WithMessage("LayerNorm(4): *got 10 × 2.*");
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1e-5)]
    [InlineData(double.NaN)]
    [InlineData(1e-50)]
    public void Constructor_EpsilonNotPositiveInFloat_Throws(double epsilon)
    {
        Action create = () => _ = new LayerNorm<float>(4, epsilon);

        create.Should().Throw<ArgumentOutOfRangeException>().WithMessage("LayerNorm: epsilon must be finite and positive as a Single*");
    }

    [Fact]
    public void Onnx_IsLayerNormalizationOfOpset17_AndImportsBackBitForBit()
    {
        var network = new Network<float>(Shape.Of(3, 4), WithRandomAffine(new LayerNorm<float>(4, epsilon: 1e-4), seed: 13));
        string path = Path.Combine(directory, "ln.onnx");
        Matrix<float> x = RandomValues.NormalMatrix(12, 5, new Random(14)).Map(v => (float)v);

        network.ExportOnnx(path);
        Network<float> imported = Network<float>.ImportOnnx(path);

        global::Onnx.ModelProto model = NeuralNet.Onnx.OnnxExporter.Build(network);
        model.Graph.Node.Single().OpType.Should().Be("LayerNormalization");
        model.OpsetImport.Single().Version.Should().Be(17);
        imported.Layers.Single().GetConfig().Should().Be(network.Layers[0].GetConfig());
        imported.Predict(x).Should().Be(network.Predict(x));
    }

    /// <summary>PyTorch's equations in plain double: per step of <paramref name="features"/>, mean, biased variance, scale, shift.</summary>
    private static double[] Reference(Matrix<double> x, int features, double epsilon, LayerNorm<double>? affine)
    {
        double[] values = x.ToColumnMajorArray();
        var y = new double[values.Length];
        for (int start = 0; start < values.Length; start += features)
        {
            double[] step = values[start..(start + features)];
            double mean = step.Average();
            double variance = step.Average(v => (v - mean) * (v - mean));
            for (int i = 0; i < features; i++)
            {
                double normalized = (step[i] - mean) / Math.Sqrt(variance + epsilon);
                y[start + i] = affine is null ? normalized : (normalized * affine.Parameters[0].ValueSpan[i]) + affine.Parameters[1].ValueSpan[i];
            }
        }

        return y;
    }

    private static LayerNorm<T> WithRandomAffine<T>(LayerNorm<T> layer, int seed)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        double[] values = RandomValues.Uniform(2 * layer.Features, seed);
        for (int i = 0; i < layer.Features; i++)
        {
            layer.Parameters[0].ValueSpan[i] = T.CreateChecked(0.5 + values[i]);
            layer.Parameters[1].ValueSpan[i] = T.CreateChecked(values[layer.Features + i] - 0.5);
        }

        return layer;
    }
}
