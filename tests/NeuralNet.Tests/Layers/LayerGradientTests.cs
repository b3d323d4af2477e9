using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Diagnostics;
using NeuralNet.Layers;

namespace NeuralNet.Tests.Layers;

/// <summary>
/// Finite-difference checks (<see cref="GradientCheck"/>) of every layer's input gradient and parameter gradients, in
/// double precision with a random upstream gradient (an all-ones one would hide transposes).
/// </summary>
public sealed class LayerGradientTests
{
    public static TheoryData<string> LayerKinds =>
        ["Linear", "ReLU", "LeakyReLU", "Sigmoid", "Tanh", "Identity", "Elu", "Softplus", "Gelu", "Softmax"];

    [Theory]
    [MemberData(nameof(LayerKinds))]
    public void GradientCheck_OfEveryLayerKind_Passes(string kind)
    {
        var random = new Random(11);
        ILayer<double> layer = Create(kind, random);
        Matrix<double> x = Input(kind, random);

        GradientCheckReport report = GradientCheck.Layer(layer, x, new GradientCheckOptions { Seed = 12 });

        report.Passed.Should().BeTrue(report.ToString());
        report.Tensors.Should().Equal(["input", .. layer.Parameters.Select(p => p.Name)]);
    }

    [Theory]
    [InlineData(3, 4, 5)]
    [InlineData(1, 1, 1)]
    [InlineData(7, 2, 3)]
    public void GradientCheck_OfLinearAtSeveralShapes_Passes(int inputs, int outputs, int batch)
    {
        var random = new Random(5);
        var layer = new Linear<double>(inputs, outputs, random);
        layer.Bias.SetValues([.. Enumerable.Range(0, outputs).Select(i => 0.1 * (i + 1))]);
        Matrix<double> x = RandomValues.NormalMatrix(inputs, batch, random);

        GradientCheckReport report = GradientCheck.Layer(layer, x, new GradientCheckOptions { Seed = 6 });

        report.Passed.Should().BeTrue(report.ToString());
        report.Tensors.Should().Equal("input", "weight", "bias");
        report.EntriesChecked.Should().Be((inputs * batch) + (outputs * inputs) + outputs);
    }

    [Fact]
    public void Linear_Gradients_AreTheTextbookFormulas()
    {
        // Independent of finite differences: ∂L/∂W = G·Xᵀ, ∂L/∂b = G·1, ∂L/∂X = Wᵀ·G.
        var random = new Random(8);
        var layer = new Linear<double>(4, 3, random);
        Matrix<double> x = RandomValues.NormalMatrix(4, 6, random);
        Matrix<double> g = RandomValues.NormalMatrix(3, 6, random);

        Matrix<double> y = layer.Forward(x);
        Matrix<double> dx = layer.Backward(g);

        Matrix<double> expectedY = (layer.Weights * x) + Matrix<double>.Build.Dense(3, 6, (i, _) => layer.Bias[i]);
        (y - expectedY).FrobeniusNorm().Should().BeLessThan(1e-12);
        (dx - (layer.Weights.Transpose() * g)).FrobeniusNorm().Should().BeLessThan(1e-12);
        (layer.WeightsGradient - (g * x.Transpose())).FrobeniusNorm().Should().BeLessThan(1e-12);
        (layer.BiasGradient.Column(0) - g.RowSums()).L2Norm().Should().BeLessThan(1e-12);
    }

    private static Matrix<double> Input(string kind, Random random)
    {
        Matrix<double> x = RandomValues.NormalMatrix(kind == "Linear" ? 4 : 5, 3, random, scale: 1.5);

        // ReLU-family kinks sit at 0: keep the inputs at least 0.05 away (sign kept) so a ±1e-6 step never crosses one.
        return kind is "ReLU" or "LeakyReLU" or "Elu" ? x.Map(v => v >= 0 ? v + 0.05 : v - 0.05) : x;
    }

    private static ILayer<double> Create(string kind, Random random) => kind switch
    {
        "Linear" => new Linear<double>(4, 3, random),
        "ReLU" => new Relu<double>(),
        "LeakyReLU" => new LeakyRelu<double>(0.1),
        "Sigmoid" => new Sigmoid<double>(),
        "Tanh" => new Tanh<double>(),
        "Identity" => new Identity<double>(),
        "Elu" => new Elu<double>(0.7),
        "Softplus" => new Softplus<double>(),
        "Gelu" => new Gelu<double>(),
        "Softmax" => new Softmax<double>(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
