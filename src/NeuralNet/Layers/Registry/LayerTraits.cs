namespace NeuralNet.Layers;

/// <summary>
/// Facts about a layer that the network, the trainer and the exporters act on, so that no code outside the layers
/// needs to know a layer's type.
/// </summary>
[Flags]
public enum LayerTraits
{
    /// <summary>Nothing special.</summary>
    None = 0,

    /// <summary>At inference the layer returns its input unchanged (identity, dropout).</summary>
    IdentityAtInference = 1,

    /// <summary>
    /// The layer turns each sample into probabilities (a softmax): a loss that applies its own softmax must not follow
    /// it, and <see cref="Network{T}.PredictProbabilities"/> returns its output as is.
    /// </summary>
    OutputsProbabilities = 2,

    /// <summary>
    /// The layer maps each element on its own and may write its output over its input in <c>Predict</c> (activations).
    /// </summary>
    Elementwise = 4,

    /// <summary>The layer uses statistics of the training batch (batch normalization), so it needs ≥ 2 samples per training batch.</summary>
    UsesBatchStatistics = 8,

    /// <summary>
    /// The layer reads its input as integer indices (token ids), not as values: it has no input gradient (its
    /// <c>Backward</c> returns zeros), so it belongs first in a network, and <see cref="Diagnostics.GradientCheck"/>
    /// does not perturb its input.
    /// </summary>
    IndexInput = 16,
}
