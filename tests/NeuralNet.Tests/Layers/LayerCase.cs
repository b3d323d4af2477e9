using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Layers;

namespace NeuralNet.Tests.Layers;

/// <summary>
/// One configured layer for the layer contract (<see cref="LayerContractTests"/>): how to build it in double precision,
/// the shape of its input samples, and how far its inputs must stay from kinks (a ReLU's 0) for finite differences.
/// </summary>
/// <param name="Description">A short label for test names, e.g. <c>"Elu(alpha 0.7)"</c>.</param>
/// <param name="Create">Builds a fresh layer (random parameters from a fixed seed).</param>
/// <param name="InputShape">The shape of one input sample.</param>
/// <param name="KinkMargin">Inputs are moved at least this far from every point in <paramref name="Kinks"/>.</param>
/// <param name="Kinks">Where the layer's function has no derivative.</param>
/// <param name="Inputs">Builds the minibatch from (batch, seed) instead of normal draws, e.g. token ids for an embedding.</param>
public sealed record LayerCase(
    string Description, Func<ILayer<double>> Create, Shape InputShape, double KinkMargin = 0, double[]? Kinks = null, Func<int, int, Matrix<double>>? Inputs = null)
{
    /// <summary>A seeded minibatch: <see cref="Inputs"/>' or standard-normal inputs (scaled by 1.5), moved away from the kinks.</summary>
    public Matrix<double> Input(int batch, int seed)
    {
        if (Inputs is not null)
        {
            return Inputs(batch, seed);
        }

        var random = new Random(seed);
        return Matrix<double>.Build.Dense(InputShape.Size, batch, (_, _) =>
        {
            double v = 1.5 * Math.Sqrt(-2 * Math.Log(1.0 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            foreach (double kink in Kinks ?? [])
            {
                if (Math.Abs(v - kink) < KinkMargin)
                {
                    v = v >= kink ? kink + KinkMargin : kink - KinkMargin;
                }
            }

            return v;
        });
    }

    /// <inheritdoc />
    public override string ToString() => Description;
}

/// <summary>
/// Implemented by a layer's test class to hand its configurations to the layer contract; the contract test finds
/// every implementation in this assembly, so a new layer's test file is all it takes to enrol it.
/// </summary>
public interface ILayerCases
{
    /// <summary>The configurations to check.</summary>
    IEnumerable<LayerCase> Cases { get; }
}
