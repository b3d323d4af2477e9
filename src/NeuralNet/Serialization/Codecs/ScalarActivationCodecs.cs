using System.Numerics;
using NeuralNet.Layers;

namespace NeuralNet.Serialization.Codecs;

/// <summary>Stores <see cref="LeakyReLU{T}"/> as <c>leaky_relu</c>; block: the slope as a float64.</summary>
internal sealed class LeakyReLUCodec : ILayerCodec
{
    public string Kind => "leaky_relu";

    public Type LayerType => typeof(LeakyReLU<>);

    public void Write<T>(ILayer<T> layer, PayloadWriter writer)
        where T : unmanaged, IFloatingPointIeee754<T> => writer.WriteDouble(((LeakyReLU<T>)layer).Slope);

    public ILayer<T> Read<T>(PayloadReader reader)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double slope = reader.ReadDouble("leaky_relu slope");
        return double.IsFinite(slope) ? new LeakyReLU<T>(slope) : throw reader.Error($"leaky_relu slope is {slope}; it must be finite");
    }
}

/// <summary>Stores <see cref="Elu{T}"/> as <c>elu</c>; block: alpha as a float64.</summary>
internal sealed class EluCodec : ILayerCodec
{
    public string Kind => "elu";

    public Type LayerType => typeof(Elu<>);

    public void Write<T>(ILayer<T> layer, PayloadWriter writer)
        where T : unmanaged, IFloatingPointIeee754<T> => writer.WriteDouble(((Elu<T>)layer).Alpha);

    public ILayer<T> Read<T>(PayloadReader reader)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double alpha = reader.ReadDouble("elu alpha");
        return double.IsFinite(alpha) && alpha > 0 ? new Elu<T>(alpha) : throw reader.Error($"elu alpha is {alpha}; it must be finite and positive");
    }
}
