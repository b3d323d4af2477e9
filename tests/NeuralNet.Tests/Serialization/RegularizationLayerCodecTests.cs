using System.Buffers.Binary;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Layers;
using NeuralNet.Serialization;
using static NeuralNet.Tests.Serialization.SerializationSamples;

namespace NeuralNet.Tests.Serialization;

/// <summary>The <c>dropout</c> and <c>batch_norm_1d</c> codecs: state carried over exactly, invalid values rejected.</summary>
public sealed class RegularizationLayerCodecTests
{
    [Fact]
    public void Dropout_AfterLoading_DrawsTheMasksTheSavedLayerWouldHaveDrawn()
    {
        var original = new Dropout<float>(0.4, new Random(17));
        Matrix<float> ones = Matrix<float>.Build.Dense(9, 6, 1f);
        original.Forward(ones); // move the generator away from its seed
        Network<float> loaded = RoundTrip(new Network<float>(original));
        var copy = (Dropout<float>)loaded.Layers[0];

        copy.Probability.Should().Be(0.4);
        for (int call = 0; call < 3; call++)
        {
            copy.Forward(ones).ToColumnMajorArray().Should().Equal(original.Forward(ones).ToColumnMajorArray(), $"call {call}");
        }
    }

    [Fact]
    public void BatchNorm_KeepsGammaBetaRunningStatisticsMomentumAndEpsilon_BitForBit()
    {
        BatchNorm1d<double> original = RandomBatchNorm<double>(5, new Random(3));
        var copy = (BatchNorm1d<double>)RoundTrip(new Network<double>(original)).Layers[0];

        copy.Momentum.Should().Be(original.Momentum);
        copy.Epsilon.Should().Be(original.Epsilon);
        copy.Parameters[0].ValueSpan.ToArray().Should().Equal(original.Parameters[0].ValueSpan.ToArray());
        copy.Parameters[1].ValueSpan.ToArray().Should().Equal(original.Parameters[1].ValueSpan.ToArray());
        copy.RunningMean.ToArray().Should().Equal(original.RunningMean.ToArray());
        copy.RunningVariance.ToArray().Should().Equal(original.RunningVariance.ToArray());

        // Training continues identically too (momentum is used by the running-statistics update).
        Matrix<double> x = RandomInput<double>(5, 4, 8);
        copy.Forward(x).Should().Be(original.Forward(x));
        copy.RunningVariance.ToArray().Should().Equal(original.RunningVariance.ToArray());
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(-0.1)]
    [InlineData(double.NaN)]
    public void Dropout_WithAnInvalidProbability_IsRejectedNamingIt(double probability)
    {
        byte[] file = Save(new Network<float>(new Dropout<float>(0.5, 1)));
        int at = ModelFileLayout.Of(file, 4).Settings["0/probability"];
        BinaryPrimitives.WriteDoubleLittleEndian(file.AsSpan(at), probability);
        FixChecksum(file);

        Action load = () => Network<float>.Load(new MemoryStream(file));

        load.Should().Throw<ModelFormatException>().WithMessage("*layer 0 (dropout) is invalid*probability*");
    }

    [Fact]
    public void Dropout_WithAnAllZeroGeneratorState_IsRejected()
    {
        byte[] file = Save(new Network<float>(new Dropout<float>(0.5, 1)));
        file.AsSpan(ModelFileLayout.Of(file, 4).Buffers["0/random_state"], 32).Clear();
        FixChecksum(file);

        Action load = () => Network<float>.Load(new MemoryStream(file));

        load.Should().Throw<ModelFormatException>().WithMessage("*all zero*");
    }

    [Theory]
    [InlineData("momentum", 0.0, "*momentum*")]
    [InlineData("momentum", 1.5, "*momentum*")]
    [InlineData("epsilon", 0.0, "*epsilon*")]
    [InlineData("epsilon", double.PositiveInfinity, "*epsilon*")]
    public void BatchNorm_WithAnInvalidSetting_IsRejectedNamingIt(string setting, double value, string message)
    {
        byte[] file = Save(new Network<float>(RandomBatchNorm<float>(3, new Random(1))));
        BinaryPrimitives.WriteDoubleLittleEndian(file.AsSpan(ModelFileLayout.Of(file, 4).Settings["0/" + setting]), value);
        FixChecksum(file);

        Action load = () => Network<float>.Load(new MemoryStream(file));

        load.Should().Throw<ModelFormatException>().WithMessage(message);
    }

    [Fact]
    public void BatchNorm_WithANegativeRunningVariance_IsRejected()
    {
        byte[] file = Save(new Network<float>(RandomBatchNorm<float>(3, new Random(1))));

        // The second value of the running variance.
        int at = ModelFileLayout.Of(file, 4).Buffers["0/running_var"] + 4;
        BinaryPrimitives.WriteSingleLittleEndian(file.AsSpan(at), -0.5f);
        FixChecksum(file);

        Action load = () => Network<float>.Load(new MemoryStream(file));

        load.Should().Throw<ModelFormatException>().WithMessage("*buffer 'running_var' holds -0.5 at index 1*");
    }

    [Fact]
    public void BatchNorm_WithTensorsOfDifferentLengths_IsRejected()
    {
        byte[] file = Save(new Network<float>(RandomBatchNorm<float>(3, new Random(1))));
        int beta = ModelFileLayout.Of(file, 4).Parameters["0/bias"];
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(beta), 2);
        FixChecksum(file);

        Action load = () => Network<float>.Load(new MemoryStream(file));

        load.Should().Throw<ModelFormatException>().WithMessage("*batch_norm_1d*parameter 'bias' of 2 × 1*'bias' of 3 × 1*");
    }

    private static Network<T> RoundTrip<T>(Network<T> network)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> =>
        Network<T>.Load(new MemoryStream(Save(network)));

    private static byte[] Save<T>(Network<T> network)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        using var buffer = new MemoryStream();
        network.Save(buffer);
        return buffer.ToArray();
    }
}
