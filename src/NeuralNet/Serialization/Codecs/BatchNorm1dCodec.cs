using System.Numerics;
using NeuralNet.Layers;

namespace NeuralNet.Serialization.Codecs;

/// <summary>
/// Stores <see cref="BatchNorm1d{T}"/> as <c>batch_norm_1d</c>; block: momentum and epsilon as float64, then four
/// <c>features × 1</c> tensors: γ (weight), β (bias), running mean, running variance.
/// </summary>
internal sealed class BatchNorm1dCodec : ILayerCodec
{
    public string Kind => "batch_norm_1d";

    public Type LayerType => typeof(BatchNorm1d<>);

    public void Write<T>(ILayer<T> layer, PayloadWriter writer)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var norm = (BatchNorm1d<T>)layer;
        writer.WriteDouble(norm.Momentum);
        writer.WriteDouble(norm.Epsilon);
        writer.WriteTensor<T>(norm.Features, 1, norm.Parameters[0].ValueSpan);
        writer.WriteTensor<T>(norm.Features, 1, norm.Parameters[1].ValueSpan);
        writer.WriteTensor<T>(norm.Features, 1, norm.RunningMean);
        writer.WriteTensor<T>(norm.Features, 1, norm.RunningVariance);
    }

    public ILayer<T> Read<T>(PayloadReader reader)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double momentum = reader.ReadDouble("batch_norm_1d momentum");
        double epsilon = reader.ReadDouble("batch_norm_1d epsilon");
        T[] gamma = reader.ReadTensor<T>("batch_norm_1d weight", out int features, out _, expectedColumns: 1);
        T[] beta = reader.ReadTensor<T>("batch_norm_1d bias", out _, out _, expectedRows: features, expectedColumns: 1);
        T[] mean = reader.ReadTensor<T>("batch_norm_1d running mean", out _, out _, expectedRows: features, expectedColumns: 1);
        T[] variance = reader.ReadTensor<T>("batch_norm_1d running variance", out _, out _, expectedRows: features, expectedColumns: 1);
        for (int i = 0; i < variance.Length; i++)
        {
            if (!(variance[i] >= T.Zero))
            {
                throw reader.Error($"batch_norm_1d running variance of feature {i} is {variance[i]}; it must be ≥ 0");
            }
        }

        // The constructor validates momentum and epsilon (an ArgumentException becomes a format error in NetworkCodec).
        var norm = new BatchNorm1d<T>(features, momentum, epsilon);
        gamma.CopyTo(norm.Parameters[0].ValueSpan);
        beta.CopyTo(norm.Parameters[1].ValueSpan);
        mean.CopyTo(norm.RunningMean);
        variance.CopyTo(norm.RunningVariance);
        return norm;
    }
}
