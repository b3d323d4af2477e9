using System.Numerics;
using NeuralNet.Layers;

namespace NeuralNet.Serialization.Codecs;

/// <summary>
/// Stores and restores one layer kind under a stable name. The name, never the .NET type name, goes into the file,
/// so renaming or moving a class does not break saved models.
/// </summary>
/// <remarks>To add a layer kind: write a small class implementing this interface and list it in <see cref="LayerCodecs"/>.</remarks>
internal interface ILayerCodec
{
    /// <summary>The stable name stored in files, e.g. <c>"linear"</c>: lower case, never changed once shipped.</summary>
    string Kind { get; }

    /// <summary>The layer class this codec handles, as an open generic type such as <c>typeof(Linear&lt;&gt;)</c>.</summary>
    Type LayerType { get; }

    /// <summary>Writes the layer's configuration and parameters into its block.</summary>
    void Write<T>(ILayer<T> layer, PayloadWriter writer)
        where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>
    /// Rebuilds the layer from its block. Throws <see cref="ModelFormatException"/> (via
    /// <see cref="PayloadReader.Error(string)"/>) for any invalid value; the caller checks the block was consumed.
    /// </summary>
    ILayer<T> Read<T>(PayloadReader reader)
        where T : unmanaged, IFloatingPointIeee754<T>;
}
