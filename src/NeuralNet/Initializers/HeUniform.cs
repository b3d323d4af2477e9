using System.Numerics;

namespace NeuralNet.Initializers;

/// <summary>He/Kaiming uniform initialization, <c>W ~ U(−a, a)</c> with <c>a = √(6 / fanIn)</c>, for ReLU-family layers.</summary>
public sealed class HeUniform : IWeightInitializer
{
    /// <inheritdoc />
    public string Name => "HeUniform";

    /// <inheritdoc />
    public void Initialize<T>(Span<T> weights, int fanIn, int fanOut, Random random)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fanIn);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fanOut);
        RandomDraws.Uniform(weights, Math.Sqrt(6.0 / fanIn), random);
    }
}
