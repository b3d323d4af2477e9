using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Compute;
using NeuralNet.Initializers;
using NeuralNet.Layers;
using NeuralNet.Tests.Compute;

namespace NeuralNet.Tests;

/// <summary>
/// <c>Network.Predict</c> hands a ReLU to the <c>Linear</c> in front of it, which applies it in the product's store:
/// the result must be bit for bit what the layers give one after the other, on every path, batch size and element type.
/// </summary>
public sealed class NetworkFusionTests
{
    public static TheoryData<GemmPath, int> PathsAndBatches()
    {
        var data = new TheoryData<GemmPath, int>();
        foreach (GemmPath path in new[] { GemmPath.Vector512, GemmPath.Vector256, GemmPath.Portable }.Where(ComputeSettings.IsSupported))
        {
            foreach (int batch in new[] { 1, 3, 4, 65, 1000 })
            {
                data.Add(path, batch);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(PathsAndBatches))]
    public void Predict_LinearThenReLU_EqualsTheLayersOneAfterTheOtherBitForBit(GemmPath path, int batch)
    {
        Network<float> network = Mlp<float>();
        var random = new Random(batch);
        var input = Matrix<float>.Build.Dense(50, batch, (_, _) => (float)((2 * random.NextDouble()) - 1));
        Matrix<float> fused, layered;
        using (new ForcedPath(path))
        {
            fused = network.Predict(input);
            layered = LayerByLayer(network, input);
        }

        fused.AsColumnMajorArray().Should().Equal(layered.AsColumnMajorArray(), (x, y) => BitConverter.SingleToInt32Bits(x) == BitConverter.SingleToInt32Bits(y));
    }

    [Fact]
    public void Predict_InDouble_EqualsTheLayersOneAfterTheOther()
    {
        Network<double> network = Mlp<double>();
        var random = new Random(2);
        var input = Matrix<double>.Build.Dense(50, 70, (_, _) => (2 * random.NextDouble()) - 1);

        network.Predict(input).AsColumnMajorArray().Should().Equal(LayerByLayer(network, input).AsColumnMajorArray());
    }

    [Fact]
    public void Predict_ReLUAsLastLayer_IsAppliedToTheResult()
    {
        var random = new Random(4);
        var network = new Network<float>(new Linear<float>(6, 40, random), new Relu<float>());
        var input = Matrix<float>.Build.Dense(6, 9, (_, _) => (float)((2 * random.NextDouble()) - 1));

        Matrix<float> output = network.Predict(input);

        output.AsColumnMajorArray().Should().Equal(LayerByLayer(network, input).AsColumnMajorArray());
        output.AsColumnMajorArray().Should().OnlyContain(v => v >= 0).And.Contain(0f, "some pre-activations are negative");
    }

    private static Network<T> Mlp<T>()
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var random = new Random(1);
        return new Network<T>(
            new Linear<T>(50, 70, random, Initializer.HeNormal),
            new Relu<T>(),
            new Linear<T>(70, 33, random, Initializer.HeNormal),
            new Relu<T>(),
            new Linear<T>(33, 10, random));
    }

    private static Matrix<T> LayerByLayer<T>(Network<T> network, Matrix<T> input)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        Matrix<T> activation = input;
        foreach (ILayer<T> layer in network.Layers)
        {
            Matrix<T> output = Matrix<T>.Build.Dense(layer.GetOutputShape(Shape.Vector(activation.RowCount)).Size, activation.ColumnCount);
            layer.Predict(activation, output);
            activation = output;
        }

        return activation;
    }
}
