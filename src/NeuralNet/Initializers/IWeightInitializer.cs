using System.Numerics;

namespace NeuralNet.Initializers;

/// <summary>Fills a weight matrix with its starting values.</summary>
/// <remarks>
/// Initialization is separate from construction: a layer built from given weights never calls one.
/// Every initializer draws only from the <see cref="Random"/> it is given, so the same seed gives the same weights.
/// </remarks>
public interface IWeightInitializer
{
    /// <summary>Short name for messages, e.g. <c>"HeNormal"</c>.</summary>
    string Name { get; }

    /// <summary>Fills <paramref name="weights"/> for a layer with the given fan-in and fan-out.</summary>
    /// <param name="weights">The weights, in any order (the distributions are i.i.d.).</param>
    /// <param name="fanIn">Number of inputs of the layer.</param>
    /// <param name="fanOut">Number of outputs of the layer.</param>
    /// <param name="random">The only source of randomness.</param>
    void Initialize<T>(Span<T> weights, int fanIn, int fanOut, Random random)
        where T : unmanaged, IFloatingPointIeee754<T>;
}
