namespace NeuralNet.Layers;

/// <summary>
/// An element-wise activation that says which <see cref="FusedActivation"/> it is, so that a network can hand it to
/// the layer in front of it (<see cref="IActivationFusing{T}"/>) at inference instead of running a separate pass.
/// </summary>
internal interface IFusableActivation
{
    /// <summary>The activation this layer computes, bit for bit.</summary>
    FusedActivation Fusion { get; }
}
