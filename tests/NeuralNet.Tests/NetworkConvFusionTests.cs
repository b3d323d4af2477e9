using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Compute;
using NeuralNet.Initializers;
using NeuralNet.Layers;
using NeuralNet.Tests.Compute;

namespace NeuralNet.Tests;

/// <summary>
/// <c>Network.Predict</c> hands a ReLU to the <c>Conv2d</c> in front of it, which applies it as it stores its output
/// planes: the result must be bit for bit what the two layers give one after the other, on every path (direct implicit,
/// direct im2col, im2col + GEMM, pointwise), batch size and element type.
/// </summary>
public sealed class NetworkConvFusionTests
{
    /// <summary>Convolutions that take each route: stride 1 padded (implicit form), stride 2 (im2col), 1×1 (pointwise), grouped; odd channel counts for partial tiles.</summary>
    public static readonly string[] Kinds = ["padded", "strided", "pointwise", "grouped"];

    public static TheoryData<GemmPath, string, bool, int> Cases()
    {
        var data = new TheoryData<GemmPath, string, bool, int>();
        foreach (GemmPath path in new[] { GemmPath.Vector512, GemmPath.Vector256, GemmPath.Portable }.Where(ComputeSettings.IsSupported))
        {
            foreach (string kind in Kinds)
            {
                foreach (bool direct in new[] { true, false })
                {
                    foreach (int batch in new[] { 1, 5 })
                    {
                        data.Add(path, kind, direct, batch);
                    }
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Predict_Conv2dThenReLU_EqualsTheLayersOneAfterTheOtherBitForBit(GemmPath path, string kind, bool direct, int batch)
    {
        Network<float> network = ConvThenRelu<float>(kind);
        Matrix<float> input = NetworkChunkTests.Images<float>(batch, seed: batch, channels: 4, size: 10);
        Matrix<float> fused, layered;
        using (new ForcedPath(path))
        {
            Conv2d<float>.ForcedDirect = direct;
            try
            {
                fused = network.Predict(input);
                layered = LayerByLayer(network, input);
            }
            finally
            {
                Conv2d<float>.ForcedDirect = null;
            }
        }

        Bits(fused).Should().Equal(Bits(layered));
        fused.AsColumnMajorArray().Should().Contain(0f, "some pre-activations are negative").And.OnlyContain(v => v >= 0);
    }

    [Theory]
    [InlineData("padded")]
    [InlineData("strided")]
    [InlineData("pointwise")]
    [InlineData("grouped")]
    public void Predict_Conv2dThenReLUInDouble_EqualsTheLayersOneAfterTheOther(string kind)
    {
        Network<double> network = ConvThenRelu<double>(kind);
        Matrix<double> input = NetworkChunkTests.Images<double>(3, seed: 2, channels: 4, size: 10);

        network.Predict(input).AsColumnMajorArray().Should().Equal(LayerByLayer(network, input).AsColumnMajorArray());
    }

    [Theory]
    [MemberData(nameof(NetworkChunkTests.Paths), MemberType = typeof(NetworkChunkTests))]
    public void Predict_IssueCnn_EqualsTheLayersOneAfterTheOtherBitForBit(GemmPath path)
    {
        Network<float> network = NetworkChunkTests.SmallCnn<float>();
        Matrix<float> input = NetworkChunkTests.Images<float>(4, seed: 4);
        using (new ForcedPath(path))
        {
            Bits(network.Predict(input)).Should().Equal(Bits(LayerByLayer(network, input)));
        }
    }

    private static Network<T> ConvThenRelu<T>(string kind)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(3);
        ILayer<T> conv = kind switch
        {
            "padded" => new Conv2d<T>(4, 13, 3, random, Initializer.HeNormal, padding: 1),
            "strided" => new Conv2d<T>(4, 11, 3, random, Initializer.HeNormal, stride: 2, padding: 1),
            "pointwise" => new Conv2d<T>(4, 9, 1, random, Initializer.HeNormal),
            _ => new Conv2d<T>(4, 6, 3, random, Initializer.HeNormal, padding: 1, groups: 2),
        };
        return new Network<T>(Shape.Of(4, 10, 10), conv, new Relu<T>(), new Flatten<T>());
    }

    private static Matrix<T> LayerByLayer<T>(Network<T> network, Matrix<T> input)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T> activation = input;
        for (int i = 0; i < network.Layers.Count; i++)
        {
            ILayer<T> layer = network.Layers[i];
            Matrix<T> output = Matrix<T>.Build.Dense(network.GetLayerOutputShape(i)!.Size, activation.ColumnCount);
            layer.Predict(activation, output);
            activation = output;
        }

        return activation;
    }

    private static int[] Bits(Matrix<float> matrix) => [.. matrix.AsColumnMajorArray().Select(BitConverter.SingleToInt32Bits)];
}
