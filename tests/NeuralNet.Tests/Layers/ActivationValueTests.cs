using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Layers;

namespace NeuralNet.Tests.Layers;

/// <summary>Forward values against the formulas, including the saturating tails.</summary>
public sealed class ActivationValueTests
{
    private static readonly double[] Inputs = [-1000, -20, -1.5, -0.25, 0.25, 1.5, 20, 1000];

    public static TheoryData<string> Kinds => ["ReLU", "LeakyReLU", "Sigmoid", "Tanh", "Identity", "Elu", "Softplus", "Gelu"];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Forward_MatchesTheFormulaEverywhere(string kind)
    {
        (ILayer<double> layer, Func<double, double> formula) = kind switch
        {
            "ReLU" => ((ILayer<double>)new Relu<double>(), (Func<double, double>)(x => Math.Max(x, 0))),
            "LeakyReLU" => (new LeakyRelu<double>(0.2), x => x > 0 ? x : 0.2 * x),
            "Sigmoid" => (new Sigmoid<double>(), x => x >= 0 ? 1 / (1 + Math.Exp(-x)) : Math.Exp(x) / (1 + Math.Exp(x))),
            "Tanh" => (new Tanh<double>(), Math.Tanh),
            "Identity" => (new Identity<double>(), x => x),
            "Elu" => (new Elu<double>(1.5), x => x > 0 ? x : 1.5 * (Math.Exp(x) - 1)),
            "Softplus" => (new Softplus<double>(), x => x > 30 ? x : Math.Log(1 + Math.Exp(x))),
            "Gelu" => (new Gelu<double>(), x => x * 0.5 * (1 + MathNet.Numerics.SpecialFunctions.Erf(x / Math.Sqrt(2)))),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        Matrix<double> x = Matrix<double>.Build.DenseOfColumnArrays(Inputs);

        Matrix<double> y = layer.Forward(x);

        for (int i = 0; i < Inputs.Length; i++)
        {
            double expected = formula(Inputs[i]);
            double.IsFinite(y[i, 0]).Should().BeTrue($"{kind}({Inputs[i]}) must be finite");
            y[i, 0].Should().BeApproximately(expected, 1e-12 * Math.Max(1, Math.Abs(expected)), $"{kind}({Inputs[i]})");
        }
    }

    [Fact]
    public void Sigmoid_InFloat_SaturatesWithoutNaN()
    {
        Matrix<float> x = Matrix<float>.Build.DenseOfColumnArrays([-1000f, -100f, 100f, 1000f]);
        Matrix<float> y = new Sigmoid<float>().Forward(x);
        y.Enumerate().Should().Equal(0f, y[1, 0], 1f, 1f);
        y[1, 0].Should().BeInRange(0f, 1e-30f);
    }

    [Fact]
    public void SoftplusAndElu_InFloat_KeepTheirTinyValues()
    {
        Matrix<float> x = Matrix<float>.Build.DenseOfColumnArrays([-20f, -40f, 1e-6f, -1e-7f]);

        Matrix<float> softplus = new Softplus<float>().Forward(x);
        Matrix<float> elu = new Elu<float>(2.0).Forward(x);

        softplus[0, 0].Should().BeApproximately((float)Math.Exp(-20), 1e-6f * (float)Math.Exp(-20)); // log(1 + e⁻²⁰) ≈ e⁻²⁰
        softplus[1, 0].Should().BeApproximately((float)Math.Exp(-40), 1e-6f * (float)Math.Exp(-40));
        elu[3, 0].Should().BeApproximately(2 * -1e-7f, 1e-6f * 2e-7f);                                // 2(e^x − 1) ≈ 2x
    }
}
