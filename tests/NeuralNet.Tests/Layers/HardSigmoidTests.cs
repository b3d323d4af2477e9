using Google.Protobuf;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Layers;
using NeuralNet.Onnx;
using NeuralNet.Serialization;
using Onnx;

namespace NeuralNet.Tests.Layers;

/// <summary>HardSigmoid against PyTorch's definition <c>relu6(x + 3) / 6</c>, with PyTorch's zero gradient at ±3.</summary>
public sealed class HardSigmoidTests : ILayerCases
{
    private static readonly double[] Kinks = [-3.0, 3.0];

    /// <inheritdoc />
    public IEnumerable<LayerCase> Cases => [new("HardSigmoid", () => new HardSigmoid<double>(), Shape.Vector(6), 0.05, Kinks)];

    [Theory]
    [InlineData(-4.0, 0.0)]
    [InlineData(-3.0, 0.0)]
    [InlineData(-1.5, 0.25)]
    [InlineData(0.0, 0.5)]
    [InlineData(1.2, 0.7)]
    [InlineData(3.0, 1.0)]
    [InlineData(100.0, 1.0)]
    public void Value_IsReluSixOfXPlusThreeOverSix(double x, double expected)
    {
        var output = Matrix<double>.Build.Dense(1, 1);
        new HardSigmoid<double>().Predict(Matrix<double>.Build.Dense(1, 1, x), output);

        output[0, 0].Should().BeApproximately(expected, 1e-15);
    }

    [Fact]
    public void Gradient_IsOneSixthStrictlyInside_AndZeroAtAndBeyondTheKinks()
    {
        var layer = new HardSigmoid<double>();
        layer.Forward(Matrix<double>.Build.DenseOfColumnArrays([-5.0, -3.0, -2.999, 0.0, 2.999, 3.0, 7.0]));

        double[] dx = layer.Backward(Matrix<double>.Build.Dense(7, 1, 6.0)).ToColumnMajorArray();

        dx.Should().Equal(0, 0, 1, 1, 1, 0, 0);
    }

    [Fact]
    public void OnnxImport_RefusesTheKerasVariant()
    {
        var graph = new GraphProto { Name = "g" };
        var node = new NodeProto { OpType = "HardSigmoid", Name = "hs" };
        node.Input.Add("x");
        node.Output.Add("y");
        graph.Node.Add(node);
        graph.Input.Add(new ValueInfoProto { Name = "x" });
        graph.Output.Add(new ValueInfoProto { Name = "y" });
        string path = Path.Combine(Path.GetTempPath(), $"nnet-hardsigmoid-{Guid.NewGuid():N}.onnx");
        File.WriteAllBytes(path, new ModelProto { Graph = graph }.ToByteArray());
        try
        {
            Action import = () => Network<float>.ImportOnnx(path);

            import.Should().Throw<ModelFormatException>().WithMessage("*HardSigmoid 'hs'*alpha = 1/6*");
        }
        finally
        {
            File.Delete(path);
        }
    }
}
