using System.Numerics;

namespace NeuralNet.Initializers;

/// <summary>Xavier/Glorot normal initialization, <c>W ~ N(0, 2 / ((double)fanIn + fanOut))</c>.</summary>
public sealed class GlorotNormal : IWeightInitializer
{
    /// <inheritdoc />
    public string Name => "GlorotNormal";

    /// <inheritdoc />
    public void Initialize<T>(Span<T> weights, int fanIn, int fanOut, Random random)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fanIn);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fanOut);
        RandomDraws.Normal(weights, Math.Sqrt(2.0 / ((double)fanIn + fanOut)), random);
    }
}
