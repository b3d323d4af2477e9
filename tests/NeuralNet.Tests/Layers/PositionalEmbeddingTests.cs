using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Diagnostics;
using NeuralNet.Layers;

namespace NeuralNet.Tests.Layers;

/// <summary>
/// <see cref="PositionalEmbedding{T}"/>: <c>y[t] = x[t] + W[t]</c>, GPT's <c>x + wpe(arange(steps))</c>, with the
/// weight laid out as PyTorch's <c>[contextLength, dimension]</c>.
/// </summary>
public sealed class PositionalEmbeddingTests : ILayerCases
{
    /// <inheritdoc />
    public IEnumerable<LayerCase> Cases =>
    [
        new("PositionalEmbedding(5, 3) on (4, 3)", () => new PositionalEmbedding<double>(5, 3, new Random(1)), Shape.Of(4, 3)),
        new("PositionalEmbedding(2, 4) on (2, 4)", () => new PositionalEmbedding<double>(2, 4, new Random(2)), Shape.Of(2, 4)),
    ];

    [Fact]
    public void Forward_AddsRowTOfTheWeightToStepT()
    {
        var layer = new PositionalEmbedding<double>(3, 2, new Random(1));
        // PyTorch's weight [3, 2] = [[10, 20], [30, 40], [50, 60]]; two steps use its first two rows.
        double[] weight = [10, 20, 30, 40, 50, 60];
        weight.CopyTo(layer.Parameters[0].ValueSpan);
        Matrix<double> x = Matrix<double>.Build.DenseOfColumnArrays([1, 2, 3, 4], [-1, -2, -3, -4]);

        Matrix<double> y = layer.Forward(x);

        y.Column(0).ToArray().Should().Equal(11, 22, 33, 44);
        y.Column(1).ToArray().Should().Equal(9, 18, 27, 36);
        layer.Weights.Column(2).ToArray().Should().Equal(50, 60);
    }

    [Fact]
    public void Backward_SumsTheGradientOverSamplesPerPosition_AndPassesItThrough()
    {
        var layer = new PositionalEmbedding<double>(3, 2, new Random(1));
        layer.Forward(Matrix<double>.Build.Dense(4, 2));
        Matrix<double> g = Matrix<double>.Build.DenseOfColumnArrays([1, 2, 3, 4], [10, 20, 30, 40]);

        Matrix<double> dx = layer.Backward(g);

        dx.Should().Be(g);
        layer.Parameters[0].Gradient.ToColumnMajorArray().Should().Equal(11, 22, 33, 44, 0, 0);
    }

    [Fact]
    public void GradientCheck_OfInputAndWeightWithFewerStepsThanTheContext_Passes()
    {
        var layer = new PositionalEmbedding<double>(6, 3, new Random(3));

        GradientCheckReport report = GradientCheck.Layer(layer, RandomValues.NormalMatrix(4 * 3, 3, new Random(4)), new GradientCheckOptions { Seed = 5, RelativeTolerance = 1e-8, Floor = 1 });

        report.Passed.Should().BeTrue(report.ToString());
        report.Tensors.Should().Equal("input", "weight");
    }

    [Fact]
    public void Constructor_DrawsStandardNormalPositions_FromTheInjectedRandom()
    {
        double[] w = new PositionalEmbedding<double>(256, 40, new Random(6)).Parameters[0].Value.ToColumnMajorArray();

        w.Average().Should().BeApproximately(0, 0.03);
        w.Average(v => v * v).Should().BeApproximately(1, 0.03);
        new PositionalEmbedding<double>(256, 40, new Random(6)).Parameters[0].Value.ToColumnMajorArray().Should().Equal(w);
    }

    [Fact]
    public void Network_WithMoreStepsThanTheContext_ThrowsNamingTheLayerAndTheShape()
    {
        Action tooLong = () => _ = new Network<float>(Shape.Of(6, 3), new PositionalEmbedding<float>(5, 3, new Random(1)));
        Action wrongWidth = () => _ = new Network<float>(Shape.Of(4, 2), new PositionalEmbedding<float>(5, 3, new Random(1)));
        Action forward = () => new PositionalEmbedding<float>(5, 3, new Random(1)).Forward(Matrix<float>.Build.Dense(18, 2));

        tooLong.Should().Throw<ArgumentException>().WithMessage("*PositionalEmbedding(5, 3): expects input samples of shape (steps, 3) with at most 5 steps, got (6, 3).*");
        wrongWidth.Should().Throw<ArgumentException>().WithMessage("*PositionalEmbedding(5, 3)*got (4, 2).*");
        forward.Should().Throw<ArgumentException>().WithMessage("PositionalEmbedding(5, 3): *at most 5 steps*got 18 × 2.*");
    }

    [Fact]
    public void Network_WithAnEmbeddingInFront_HasTheSequenceShapeThroughout()
    {
        var network = new Network<float>(
            Shape.Vector(4), new Embedding<float>(10, 3, new Random(1)), new PositionalEmbedding<float>(8, 3, new Random(2)), new LayerNorm<float>(3));

        network.OutputShape.Should().Be(Shape.Of(4, 3));
        network.Summary().Should().Contain("PositionalEmbedding(8, 3)");
    }

    [Fact]
    public void OnnxForm_IsShapeSliceAdd_OfOpset15()
    {
        var network = new Network<float>(Shape.Of(2, 3), new PositionalEmbedding<float>(5, 3, new Random(1)));

        global::Onnx.ModelProto model = NeuralNet.Onnx.OnnxExporter.Build(network);

        model.Graph.Node.Select(n => n.OpType).Should().Equal("Shape", "Slice", "Add");
        model.Graph.Node[1].Input.Should().Equal("layer0.weight", "layer0.starts", "layer0.steps", "layer0.axes");
        model.Graph.Node[2].Input.Should().Equal("input", "layer0.positions");
        model.OpsetImport.Single().Version.Should().Be(15);
        model.IrVersion.Should().Be(8);
    }
}
