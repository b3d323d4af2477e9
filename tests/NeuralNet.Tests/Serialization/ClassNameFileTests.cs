using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Layers;
using NeuralNet.Optimizers;
using NeuralNet.Serialization;

namespace NeuralNet.Tests.Serialization;

public sealed class ClassNameFileTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("nnet-class-name-files-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void SaveAndLoad_KeepTheClassNames()
    {
        Network<float> network = Named("setosa", "versicolor", "virginica");
        string path = Path.Combine(directory, "named.nnet");

        network.Save(path);
        Network<float> loaded = Network<float>.Load(path);

        loaded.ClassNames.Should().Equal("setosa", "versicolor", "virginica");
        Matrix<float> x = Matrix<float>.Build.Dense(2, 3, (i, j) => i - j);
        loaded.Predict(x).Should().Be(network.Predict(x));
    }

    [Fact]
    public void Save_WithNames_IsTheFileWithoutNamesFollowedByTheSection()
    {
        Network<float> unnamed = Plain();
        Network<float> named = Plain();
        named.ClassNames = ["a", "é", "ccc"];

        byte[] without = Bytes(unnamed);
        byte[] with = Bytes(named);

        byte[] section = [3, 0, 0, 0, 1, 0, (byte)'a', 2, 0, 0xC3, 0xA9, 3, 0, (byte)'c', (byte)'c', (byte)'c'];
        with.Should().Equal(WithSection(without, section));
        with[12..20].Should().NotEqual(without[12..20], "the payload length covers the section");
    }

    [Fact]
    public void Load_NamesInAStream_LeavesTheStreamAfterTheFile()
    {
        using var stream = new MemoryStream();
        Named("x", "y", "z").Save(stream);
        Plain().Save(stream);
        stream.Position = 0;

        Network<float>.Load(stream).ClassNames.Should().Equal("x", "y", "z");
        Network<float>.Load(stream).ClassNames.Should().BeNull();
        stream.Position.Should().Be(stream.Length);
    }

    [Theory]
    [InlineData(new byte[] { 0, 0, 0, 0 }, "*class-name count is 0*")]
    [InlineData(new byte[] { 1, 0, 1, 0 }, "*class-name count is 65537*")]
    [InlineData(new byte[] { 2, 0, 0, 0, 1, 0, (byte)'a', 1, 0, (byte)'b' }, "*2 class names but the network has 3 outputs*")]
    [InlineData(new byte[] { 3, 0, 0, 0, 1, 0, (byte)'a', 1, 0, (byte)'b' }, "*claims 3 class names but only 6 bytes remain*")]
    [InlineData(new byte[] { 3, 0, 0, 0, 1, 0, (byte)'a', 0, 0, 1, 0, (byte)'b', 9 }, "*class name 1 has length 0*")]
    [InlineData(new byte[] { 3, 0, 0, 0, 1, 0, (byte)'a', 1, 4, (byte)'b', 1, 0, (byte)'c' }, "*class name 1 has length 1025*")]
    [InlineData(new byte[] { 3, 0, 0, 0, 1, 0, (byte)'a', 1, 0, 0xFF, 1, 0, (byte)'c' }, "*class name 1 is not valid UTF-8*")]
    [InlineData(new byte[] { 3, 0, 0, 0, 1, 0, (byte)'a', 1, 0, (byte)'b', 1, 0, (byte)'a' }, "*class name 2 'a' appears twice*")]
    [InlineData(new byte[] { 3, 0, 0, 0, 1, 0, (byte)'a', 1, 0, (byte)'b', 2, 0, (byte)'c' }, "*class name 2 needs 2 bytes but only 1 remain*")]
    [InlineData(new byte[] { 3, 0, 0, 0, 1, 0, (byte)'a', 1, 0, (byte)'b', 1, 0, (byte)'c', 0 }, "*the model payload has 1 unread bytes*")]
    [InlineData(new byte[] { 7, 0, 0 }, "*class-name count needs 4 bytes but only 3 remain*")]
    public void Load_DamagedMetadataSection_IsAModelFormatError(byte[] section, string message)
    {
        byte[] file = WithSection(Bytes(Plain()), section);

        Action load = () => Network<float>.Load(new MemoryStream(file));

        load.Should().Throw<ModelFormatException>().WithMessage(message);
    }

    [Fact]
    public void Load_HandWrittenSection_GivesTheNames()
    {
        byte[] file = WithSection(Bytes(Plain()), [3, 0, 0, 0, 1, 0, (byte)'a', 1, 0, (byte)'b', 1, 0, (byte)'c']);

        Network<float>.Load(new MemoryStream(file)).ClassNames.Should().Equal("a", "b", "c");
    }

    [Fact]
    public void Checkpoint_OfANamedNetwork_SavesAndLoadsWithoutTheNames()
    {
        Network<float> network = Named("a", "b", "c");
        var optimizer = new Sgd<float>(0.1);
        using var stream = new MemoryStream();

        Checkpoint<float>.Capture(network, optimizer, 1, []).Save(stream);
        stream.Position = 0;

        Checkpoint<float>.Load(stream).Network.ClassNames.Should().BeNull();
    }

    private static Network<float> Plain() => new(new Linear<float>(2, 3, new Random(1)));

    private static Network<float> Named(params string[] names)
    {
        Network<float> network = Plain();
        network.ClassNames = names;
        return network;
    }

    private static byte[] Bytes(Network<float> network)
    {
        using var stream = new MemoryStream();
        network.Save(stream);
        return stream.ToArray();
    }

    /// <summary>The file with <paramref name="section"/> appended to its payload: payload length and checksum fixed.</summary>
    private static byte[] WithSection(byte[] file, byte[] section)
    {
        byte[] result = [.. file.AsSpan(0, file.Length - 4), .. section, 0, 0, 0, 0];
        ulong length = BinaryPrimitives.ReadUInt64LittleEndian(file.AsSpan(12));
        BinaryPrimitives.WriteUInt64LittleEndian(result.AsSpan(12), length + (ulong)section.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(result.AsSpan(result.Length - 4), Crc32.HashToUInt32(result.AsSpan(0, result.Length - 4)));
        return result;
    }
}
