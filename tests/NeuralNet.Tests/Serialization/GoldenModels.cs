using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Layers;

namespace NeuralNet.Tests.Serialization;

/// <summary>
/// The deterministic networks behind the golden files in Golden/. Weights come from simple formulas with dyadic
/// values (exact in float and double), not from a random generator, so the construction cannot drift.
/// Never change these: a golden file records what format version 1 wrote, and must load forever.
/// </summary>
internal static class GoldenModels
{
    /// <summary>Golden/v1-mlp.nnet (float32): Linear(4→6), LeakyReLU(0.125), Linear(6→5), ELU(0.5), Linear(5→3), Softmax.</summary>
    public static Network<float> Mlp() => new(
        DyadicLinear<float>(4, 6, 1),
        new LeakyRelu<float>(0.125),
        DyadicLinear<float>(6, 5, 2),
        new Elu<float>(0.5),
        DyadicLinear<float>(5, 3, 3),
        new Softmax<float>());

    /// <summary>Golden/v1-all-layers-f64.nnet (float64): every layer kind of format version 1, between linear layers.</summary>
    public static Network<double> AllLayers() => new(
        DyadicLinear<double>(3, 4, 1),
        new Relu<double>(),
        DyadicLinear<double>(4, 4, 2),
        new Sigmoid<double>(),
        DyadicLinear<double>(4, 4, 3),
        new Tanh<double>(),
        DyadicLinear<double>(4, 4, 4),
        new Identity<double>(),
        DyadicLinear<double>(4, 4, 5),
        new Softplus<double>(),
        DyadicLinear<double>(4, 4, 6),
        new Gelu<double>(),
        DyadicLinear<double>(4, 4, 7),
        new LeakyRelu<double>(0.3),
        DyadicLinear<double>(4, 4, 8),
        new Elu<double>(1.5),
        DyadicLinear<double>(4, 3, 9),
        new Softmax<double>());

    /// <summary>The input the recorded predictions were computed on: <c>features × 3</c>, values in [−1.5, 1.5].</summary>
    /// <summary>
    /// The layers that carry state besides their parameters (first stored in format version 2's generic layout):
    /// batch norm with dyadic running statistics and a dropout layer with a fixed generator state.
    /// </summary>
    public static Network<double> Regularization()
    {
        var norm = new BatchNorm1d<double>(4, momentum: 0.25, epsilon: 0.0625);
        for (int f = 0; f < 4; f++)
        {
            norm.Parameters[0].ValueSpan[f] = 0.5 + (f / 4.0);
            norm.Parameters[1].ValueSpan[f] = (f - 1.5) / 8.0;
            norm.RunningMean[f] = (f - 2) / 4.0;
            norm.RunningVariance[f] = 0.75 + (f / 2.0);
        }

        return new Network<double>(
            DyadicLinear<double>(3, 4, 1),
            norm,
            new Dropout<double>(0.25, seed: 11),
            new Tanh<double>(),
            DyadicLinear<double>(4, 2, 2));
    }

    public static Matrix<T> Input<T>(int features)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Matrix<T>.Build.Dense(features, 3, (i, j) => T.CreateChecked((((i * 3) + (j * 5)) % 7 - 3) / 2.0));

    private static Linear<T> DyadicLinear<T>(int inputs, int outputs, int salt)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T> weights = Matrix<T>.Build.Dense(outputs, inputs, (o, i) => T.CreateChecked(((((o * inputs) + i + salt) * 5 % 9) - 4) / 8.0));
        var bias = MathNet.Numerics.LinearAlgebra.Vector<T>.Build.Dense(outputs, o => T.CreateChecked((((o + salt) % 5) - 2) / 16.0));
        return new Linear<T>(weights, bias);
    }
}
