namespace NeuralNet.Layers;

/// <summary>An element-wise activation that a layer in front of it can apply in its own output pass.</summary>
internal enum FusedActivation
{
    /// <summary>No activation: the output as computed.</summary>
    None,

    /// <summary><c>max(x, 0)</c>, as <see cref="System.Numerics.Tensors.TensorPrimitives.Max{T}(ReadOnlySpan{T}, T, Span{T})"/> computes it.</summary>
    Relu,
}
