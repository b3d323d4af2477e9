namespace NeuralNet.Layers;

/// <summary>What values a <see cref="LayerBuffer{T}"/> may hold; checked when a model is saved and when it is loaded.</summary>
public enum LayerBufferRule
{
    /// <summary>Any finite values (no NaN, no ∞).</summary>
    Finite = 0,

    /// <summary>Finite values ≥ 0, e.g. a running variance.</summary>
    FiniteNonNegative = 1,

    /// <summary>Generator words that are not all zero (xoshiro256** can never reach the all-zero state).</summary>
    NotAllZero = 2,
}
