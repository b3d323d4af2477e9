using System.Numerics;
using NeuralNet.Layers;

namespace NeuralNet.Serialization.Codecs;

/// <summary>The registry of layer codecs, looked up by stable kind name (reading) or by layer class (writing).</summary>
internal static class LayerCodecs
{
    private static readonly ILayerCodec[] All =
    [
        new LinearCodec(),
        new ReLUCodec(),
        new LeakyReLUCodec(),
        new SigmoidCodec(),
        new TanhCodec(),
        new IdentityCodec(),
        new EluCodec(),
        new SoftplusCodec(),
        new GeluCodec(),
        new SoftmaxCodec(),
        new DropoutCodec(),
        new BatchNorm1dCodec(),
    ];

    private static readonly Dictionary<string, ILayerCodec> ByKind = All.ToDictionary(c => c.Kind, StringComparer.Ordinal);
    private static readonly Dictionary<Type, ILayerCodec> ByType = All.ToDictionary(c => c.LayerType);

    /// <summary>The stable names of every layer kind this version can read.</summary>
    public static IEnumerable<string> Kinds => ByKind.Keys;

    public static bool TryForKind(string kind, out ILayerCodec codec) => ByKind.TryGetValue(kind, out codec!);

    /// <summary>The codec for <paramref name="layer"/>'s class.</summary>
    /// <exception cref="NotSupportedException">No codec handles the class (the message names the layer).</exception>
    public static ILayerCodec For<T>(ILayer<T> layer)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Type type = layer.GetType();
        Type key = type.IsGenericType ? type.GetGenericTypeDefinition() : type;
        return ByType.TryGetValue(key, out ILayerCodec? codec)
            ? codec
            : throw new NotSupportedException($"Layer {layer.Name} ({type.Name}) cannot be saved: no model-file codec is registered for it (see docs/model-format.md, 'Adding a layer kind').");
    }
}
