using System.Buffers.Binary;
using NeuralNet.Serialization;
using static NeuralNet.Tests.Serialization.SerializationSamples;

namespace NeuralNet.Tests.Serialization;

public sealed class ModelFileErrorTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("nnet-errors-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void Load_TextFile_SaysItIsNotANeuralNetFileNamingThePath()
    {
        string path = Write("notes.nnet", "just some text, longer than a header"u8.ToArray());

        LoadFloat(path).Should().Throw<ModelFormatException>().WithMessage($"{path}: not a NeuralNet file*");
    }

    [Fact]
    public void Load_EmptyFile_SaysItIsEmpty() =>
        LoadFloat(Write("empty.nnet", [])).Should().Throw<ModelFormatException>().WithMessage("*empty*");

    [Fact]
    public void Load_UnknownFormatVersion_NamesTheVersion()
    {
        byte[] file = ValidFile();
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(8), 3);

        LoadFloat(Write("v3.nnet", file)).Should().Throw<ModelFormatException>().WithMessage("*format version 3 is not supported*reads versions 1 to 2*");
    }

    [Fact]
    public void Load_FloatFileAsDouble_IsRejectedNamingBothElementTypes()
    {
        string path = Write("float.nnet", ValidFile());

        Action load = () => Network<double>.Load(path);

        load.Should().Throw<ModelFormatException>().WithMessage("*float32*loaded as float64*");
    }

    [Fact]
    public void Load_DoubleFileAsFloat_IsRejected()
    {
        string path = Path.Combine(directory, "double.nnet");
        NetworkWith<double>("tanh", 1).Save(path);

        LoadFloat(path).Should().Throw<ModelFormatException>().WithMessage("*float64*loaded as float32*");
    }

    [Fact]
    public void Load_HeaderClaimingMoreThanTheFileHolds_IsRejectedBeforeAllocating()
    {
        byte[] file = ValidFile();
        BinaryPrimitives.WriteUInt64LittleEndian(file.AsSpan(12), 1_000_000_000);
        string path = Write("liar.nnet", file);

        long before = GC.GetAllocatedBytesForCurrentThread();
        LoadFloat(path).Should().Throw<ModelFormatException>().WithMessage("*claims 1,000,000,000 payload bytes*");
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        allocated.Should().BeLessThan(4_000_000);
    }

    [Fact]
    public void Load_NonSeekableStreamClaimingAHugePayload_ReadsOnlyWhatArrives()
    {
        byte[] file = ValidFile();
        BinaryPrimitives.WriteUInt64LittleEndian(file.AsSpan(12), 2_000_000_000);

        long before = GC.GetAllocatedBytesForCurrentThread();
        Action load = () => Network<float>.Load(new NonSeekableStream(new MemoryStream(file)));
        load.Should().Throw<ModelFormatException>().WithMessage("the stream: truncated*");
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        allocated.Should().BeLessThan(4_000_000);
    }

    [Fact]
    public void Load_AbsurdPayloadLength_IsRejectedAsDamagedSize()
    {
        byte[] file = ValidFile();
        BinaryPrimitives.WriteUInt64LittleEndian(file.AsSpan(12), ulong.MaxValue);

        LoadFloat(Write("absurd.nnet", file)).Should().Throw<ModelFormatException>().WithMessage("*size field is damaged*");
    }

    [Fact]
    public void Load_FlippedPayloadBit_ReportsAChecksumMismatch()
    {
        byte[] file = ValidFile();
        file[40] ^= 0x10;

        LoadFloat(Write("flip.nnet", file)).Should().Throw<ModelFormatException>().WithMessage("*checksum mismatch*damaged*");
    }

    [Fact]
    public void Load_UnknownLayerKind_NamesTheKindAndTheKnownOnes()
    {
        byte[] file = ValidFile();
        int nameOffset = ModelFileLayout.Of(file, 4).SizeFields.First(f => f.Field == "layer 0 kind length").Offset + 1;
        "lineaz"u8.CopyTo(file.AsSpan(nameOffset));
        FixChecksum(file);

        LoadFloat(Write("unknown.nnet", file)).Should().Throw<ModelFormatException>().WithMessage("*layer 0 has unknown kind 'lineaz'*layer_norm, leaky_relu, linear, max_pool_2d, normalization, positional_embedding, relu*");
    }

    [Fact]
    public void Load_CheckpointAsModel_SaysWhatTheFileHolds()
    {
        byte[] file = ValidFile();
        file[10] = 2;
        FixChecksum(file);

        LoadFloat(Write("checkpoint.nnet", file)).Should().Throw<ModelFormatException>().WithMessage("*holds a training checkpoint, not a model*");
    }

    [Fact]
    public void Load_TrailingBytesAfterTheChecksum_AreRejected()
    {
        byte[] file = [.. ValidFile(), 0];

        LoadFloat(Write("trailing.nnet", file)).Should().Throw<ModelFormatException>().WithMessage("*1 unexpected bytes after the checksum*");
    }

    [Fact]
    public void Load_LinearBiasOfTheWrongLength_IsRejectedEvenWithAValidChecksum()
    {
        byte[] file = ValidFile();
        var fields = SizeFields(file, elementSize: 4);
        int biasRows = fields.First(f => f.Field == "layer 0 bias rows").Offset;
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(biasRows), 6);
        FixChecksum(file);

        LoadFloat(Write("bias.nnet", file)).Should().Throw<ModelFormatException>().WithMessage("*layer 0 (linear)*parameter 'bias' of 6 × 1*'bias' of 7 × 1*");
    }

    [Fact]
    public void Load_MissingFile_ThrowsFileNotFound() =>
        LoadFloat(Path.Combine(directory, "absent.nnet")).Should().Throw<FileNotFoundException>();

    private static Action LoadFloat(string path) => () => Network<float>.Load(path);

    private static byte[] ValidFile()
    {
        using var buffer = new MemoryStream();
        NetworkWith<float>("tanh", seed: 5).Save(buffer);
        return buffer.ToArray();
    }

    private string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(directory, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
