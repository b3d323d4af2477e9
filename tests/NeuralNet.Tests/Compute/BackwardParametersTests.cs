using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Initializers;
using NeuralNet.Layers;

namespace NeuralNet.Tests.Compute;

/// <summary>The training backward that skips the first layer's input gradient stores exactly the same parameter gradients.</summary>
public sealed class BackwardParametersTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void BackwardParameters_StoresTheSameGradientsAsBackward(bool linearFirst)
    {
        var random = new Random(9);
        ILayer<float>[] layers = linearFirst
            ? [new Linear<float>(30, 20, random, Initializer.HeNormal), new Relu<float>(), new Linear<float>(20, 5, random)]
            : [new Tanh<float>(), new Linear<float>(30, 5, random)];
        var network = new Network<float>(layers);
        Matrix<float> x = Matrix<float>.Build.Dense(30, 16, (_, _) => (float)(random.NextDouble() - 0.5));
        Matrix<float> g = Matrix<float>.Build.Dense(5, 16, (_, _) => (float)(random.NextDouble() - 0.5));

        network.Forward(x);
        network.Backward(g);
        float[][] full = [.. network.Parameters.Select(p => p.GradientSpan.ToArray())];
        foreach (Parameter<float> parameter in network.Parameters)
        {
            parameter.GradientSpan.Fill(float.NaN);
        }

        network.Forward(x);
        network.BackwardParameters(g);

        for (int p = 0; p < full.Length; p++)
        {
            network.Parameters[p].GradientSpan.ToArray().Should().Equal(full[p], $"parameter {p} ({network.Parameters[p]})");
        }

        full.Should().OnlyContain(values => values.Any(v => v != 0f));
    }
}
