using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Layers;
using NeuralNet.Serialization;
using static NeuralNet.Tests.Serialization.SerializationSamples;

namespace NeuralNet.Tests.Serialization;

public sealed class ModelRoundTripTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("nnet-roundtrip-").FullName;

    public static TheoryData<string> Kinds() => [.. LayerKinds];

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Theory]
    [MemberData(nameof(Kinds))]
    public void SaveThenLoad_ThroughAFileInFloat_GivesBitIdenticalPredictions(string kind) => RoundTripThroughFile<float>(kind);

    [Theory]
    [MemberData(nameof(Kinds))]
    public void SaveThenLoad_ThroughAFileInDouble_GivesBitIdenticalPredictions(string kind) => RoundTripThroughFile<double>(kind);

    [Theory]
    [MemberData(nameof(Kinds))]
    public void SaveThenLoad_ThroughANonSeekableStream_GivesBitIdenticalPredictions(string kind)
    {
        Network<float> original = NetworkWith<float>(kind, seed: 11);
        using var buffer = new MemoryStream();
        original.Save(buffer);
        buffer.Position = 0;

        Network<float> loaded = Network<float>.Load(new NonSeekableStream(buffer));

        Matrix<float> input = RandomInput<float>(5, 9, seed: 12);
        Bits(loaded.Predict(input)).Should().Equal(Bits(original.Predict(input)));
    }

    [Fact]
    public void Load_RestoresLayerSettingsAndParameterValues_NotJustPredictions()
    {
        var random = new Random(3);
        var original = new Network<double>(
            RandomLinear<double>(4, 6, random), new LeakyRelu<double>(0.0625), RandomLinear<double>(6, 6, random), new Elu<double>(1.75), RandomLinear<double>(6, 2, random));
        string path = Path.Combine(directory, "settings.nnet");
        original.Save(path);

        Network<double> loaded = Network<double>.Load(path);

        loaded.Layers.Select(l => l.GetType()).Should().Equal(original.Layers.Select(l => l.GetType()));
        loaded.Layers[1].Should().BeOfType<LeakyRelu<double>>().Which.Slope.Should().Be(0.0625);
        loaded.Layers[3].Should().BeOfType<Elu<double>>().Which.Alpha.Should().Be(1.75);
        for (int p = 0; p < original.Parameters.Count; p++)
        {
            loaded.Parameters[p].Value.ToColumnMajorArray().Should().Equal(original.Parameters[p].Value.ToColumnMajorArray());
        }
    }

    [Fact]
    public void Load_FromAStream_LeavesTheStreamAfterTheFileSoSeveralModelsCanShareOne()
    {
        Network<float> first = NetworkWith<float>("tanh", seed: 1);
        Network<float> second = NetworkWith<float>("relu", seed: 2);
        using var buffer = new MemoryStream();
        first.Save(buffer);
        second.Save(buffer);
        buffer.Position = 0;

        Network<float> loadedFirst = Network<float>.Load(buffer);
        Network<float> loadedSecond = Network<float>.Load(buffer);

        buffer.Position.Should().Be(buffer.Length);
        Matrix<float> input = RandomInput<float>(5, 4, seed: 3);
        Bits(loadedFirst.Predict(input)).Should().Equal(Bits(first.Predict(input)));
        Bits(loadedSecond.Predict(input)).Should().Equal(Bits(second.Predict(input)));
    }

    [Fact]
    public void Save_NetworkWithALayerThatHasNoCodec_ThrowsNamingTheLayerAndWritesNothing()
    {
        var network = new Network<float>(new Linear<float>(2, 2, new Random(1)), new ForeignLayer<float>("Unsavable"));
        string path = Path.Combine(directory, "never.nnet");

        Action save = () => network.Save(path);

        save.Should().Throw<NotSupportedException>().WithMessage("*Unsavable*");
        Directory.EnumerateFileSystemEntries(directory).Should().BeEmpty();
    }

    private void RoundTripThroughFile<T>(string kind)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Network<T> original = NetworkWith<T>(kind, seed: kind.Length);
        string path = Path.Combine(directory, $"{kind}.nnet");
        original.Save(path);

        Network<T> loaded = Network<T>.Load(path);

        Matrix<T> input = RandomInput<T>(5, 16, seed: 99);
        loaded.ToString().Should().Be(original.ToString());
        Bits(loaded.Predict(input)).Should().Equal(Bits(original.Predict(input)));
    }
}
