using System.Numerics;
using NeuralNet.Layers;

namespace NeuralNet.Serialization.Codecs;

/// <summary>A codec for a layer without configuration or parameters: its block is empty.</summary>
internal abstract class ActivationCodec : ILayerCodec
{
    protected ActivationCodec(string kind, Type layerType)
    {
        Kind = kind;
        LayerType = layerType;
    }

    public string Kind { get; }

    public Type LayerType { get; }

    public void Write<T>(ILayer<T> layer, PayloadWriter writer)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
    }

    public ILayer<T> Read<T>(PayloadReader reader)
        where T : unmanaged, IFloatingPointIeee754<T> => Create<T>();

    protected abstract ILayer<T> Create<T>()
        where T : unmanaged, IFloatingPointIeee754<T>;
}

/// <summary>Stores <see cref="ReLU{T}"/> as <c>relu</c>.</summary>
internal sealed class ReLUCodec() : ActivationCodec("relu", typeof(ReLU<>))
{
    protected override ILayer<T> Create<T>() => new ReLU<T>();
}

/// <summary>Stores <see cref="Sigmoid{T}"/> as <c>sigmoid</c>.</summary>
internal sealed class SigmoidCodec() : ActivationCodec("sigmoid", typeof(Sigmoid<>))
{
    protected override ILayer<T> Create<T>() => new Sigmoid<T>();
}

/// <summary>Stores <see cref="Tanh{T}"/> as <c>tanh</c>.</summary>
internal sealed class TanhCodec() : ActivationCodec("tanh", typeof(Tanh<>))
{
    protected override ILayer<T> Create<T>() => new Tanh<T>();
}

/// <summary>Stores <see cref="Identity{T}"/> as <c>identity</c>.</summary>
internal sealed class IdentityCodec() : ActivationCodec("identity", typeof(Identity<>))
{
    protected override ILayer<T> Create<T>() => new Identity<T>();
}

/// <summary>Stores <see cref="Softplus{T}"/> as <c>softplus</c>.</summary>
internal sealed class SoftplusCodec() : ActivationCodec("softplus", typeof(Softplus<>))
{
    protected override ILayer<T> Create<T>() => new Softplus<T>();
}

/// <summary>Stores <see cref="Gelu{T}"/> (exact erf form) as <c>gelu</c>.</summary>
internal sealed class GeluCodec() : ActivationCodec("gelu", typeof(Gelu<>))
{
    protected override ILayer<T> Create<T>() => new Gelu<T>();
}

/// <summary>Stores <see cref="Softmax{T}"/> (over each sample's features) as <c>softmax</c>.</summary>
internal sealed class SoftmaxCodec() : ActivationCodec("softmax", typeof(Softmax<>))
{
    protected override ILayer<T> Create<T>() => new Softmax<T>();
}
