using System.Numerics;

namespace NeuralNet.Initializers;

/// <summary>Xavier/Glorot uniform initialization, <c>W ~ U(−a, a)</c> with <c>a = √(6 / ((double)fanIn + fanOut))</c> (Glorot and Bengio, 2010).</summary>
public sealed class GlorotUniform : IWeightInitializer
{
    /// <inheritdoc />
    public string Name => "GlorotUniform";

    /// <inheritdoc />
    public void Initialize<T>(Span<T> weights, int fanIn, int fanOut, Random random)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fanIn);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fanOut);
        RandomDraws.Uniform(weights, Math.Sqrt(6.0 / ((double)fanIn + fanOut)), random);
    }
}
