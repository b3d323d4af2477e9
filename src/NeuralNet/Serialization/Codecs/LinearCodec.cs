using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Compute;
using NeuralNet.Layers;

namespace NeuralNet.Serialization.Codecs;

/// <summary>
/// Stores <see cref="Linear{T}"/> as <c>linear</c>; block: the weight tensor (outputs × inputs) then the bias tensor
/// (outputs × 1), each as rows, columns and column-major values.
/// </summary>
internal sealed class LinearCodec : ILayerCodec
{
    public string Kind => "linear";

    public Type LayerType => typeof(Linear<>);

    public void Write<T>(ILayer<T> layer, PayloadWriter writer)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var linear = (Linear<T>)layer;
        writer.WriteTensor<T>(linear.Outputs, linear.Inputs, DenseStorage.Of(linear.Weights, "weights"));
        writer.WriteTensor<T>(linear.Outputs, 1, linear.Bias.ToArray());
    }

    public ILayer<T> Read<T>(PayloadReader reader)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] weights = reader.ReadTensor<T>("linear weights", out int outputs, out int inputs);
        T[] bias = reader.ReadTensor<T>("linear bias", out _, out _, expectedRows: outputs, expectedColumns: 1);
        return new Linear<T>(
            Matrix<T>.Build.Dense(outputs, inputs, weights),
            MathNet.Numerics.LinearAlgebra.Vector<T>.Build.Dense(bias));
    }
}
