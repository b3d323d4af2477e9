using System.Numerics;

namespace NeuralNet.Initializers;

/// <summary>He/Kaiming normal initialization, <c>W ~ N(0, 2 / fanIn)</c> (He et al., 2015), for ReLU-family layers.</summary>
public sealed class HeNormal : IWeightInitializer
{
    /// <inheritdoc />
    public string Name => "HeNormal";

    /// <inheritdoc />
    public void Initialize<T>(Span<T> weights, int fanIn, int fanOut, Random random)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fanIn);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fanOut);
        RandomDraws.Normal(weights, Math.Sqrt(2.0 / fanIn), random);
    }
}
