using System.Numerics;

namespace NeuralNet.Initializers;

/// <summary>Sets every weight to zero; draws nothing from the random source.</summary>
public sealed class Zeros : IWeightInitializer
{
    /// <inheritdoc />
    public string Name => "Zeros";

    /// <inheritdoc />
    public void Initialize<T>(Span<T> weights, int fanIn, int fanOut, Random random)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fanIn);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fanOut);
        weights.Clear();
    }
}
