using System.Buffers.Binary;
using NeuralNet.Serialization;
using static NeuralNet.Tests.Serialization.SerializationSamples;

namespace NeuralNet.Tests.Serialization;

/// <summary>
/// Seeded damage to a valid model file: every case must end in <see cref="ModelFormatException"/> (never another
/// exception, a crash or a hang), and no case may allocate much more than the file's own size.
/// </summary>
public sealed class LoaderFuzzTests
{
    private const long AllocationBudget = 2_000_000;

    private static readonly byte[] Valid = BuildValid();

    [Fact(Timeout = 120_000)]
    public async Task EveryTruncation_IsRejected() => await Task.Run(() =>
    {
        for (int length = 0; length < Valid.Length; length++)
        {
            ExpectRejected(Valid[..length], $"truncated to {length} bytes");
        }
    });

    [Fact(Timeout = 120_000)]
    public async Task RandomBitFlips_AreRejected() => await Task.Run(() =>
    {
        var random = new Random(20261127);
        for (int trial = 0; trial < 3000; trial++)
        {
            byte[] file = (byte[])Valid.Clone();
            int flips = 1 + random.Next(trial % 3 == 0 ? 8 : 1);
            for (int f = 0; f < flips; f++)
            {
                file[random.Next(file.Length)] ^= (byte)(1 << random.Next(8));
            }

            if (!file.AsSpan().SequenceEqual(Valid))
            {
                ExpectRejected(file, $"trial {trial}: {flips} bit flips");
            }
        }
    });

    [Fact]
    public void EverySingleBitFlip_AnywhereInTheFile_IsRejected()
    {
        for (int bit = 0; bit < Valid.Length * 8; bit++)
        {
            byte[] file = (byte[])Valid.Clone();
            file[bit / 8] ^= (byte)(1 << (bit % 8));
            ExpectRejected(file, $"bit {bit % 8} of byte {bit / 8} flipped");
        }
    }

    [Fact(Timeout = 120_000)]
    public async Task SizeFieldEdits_WithTheChecksumRecomputed_AreRejectedByTheParser() => await Task.Run(() =>
    {
        var random = new Random(7);
        var fields = SizeFields(Valid, elementSize: 4);
        fields.Count.Should().BeGreaterThan(10);
        foreach ((int offset, int width, string field) in fields)
        {
            ulong original = Read(Valid, offset, width);
            ulong max = width == 8 ? ulong.MaxValue : width == 4 ? uint.MaxValue : byte.MaxValue;
            ulong[] values =
            [
                0, 1, max, max / 2, max / 2 + 1, original + 1, original - 1, original * 2, original / 2,
                (ulong)random.NextInt64(long.MaxValue) & max, (ulong)random.NextInt64(long.MaxValue) & max,
            ];
            foreach (ulong value in values.Select(v => v & max).Where(v => v != original).Distinct())
            {
                byte[] file = (byte[])Valid.Clone();
                Write(file, offset, width, value);
                FixChecksum(file);
                ExpectRejected(file, $"{field} (byte {offset}) set to {value}, checksum recomputed");
            }
        }
    });

    [Fact(Timeout = 120_000)]
    public async Task RandomByteEdits_WithTheChecksumRecomputed_EitherLoadOrThrowTheDocumentedException() => await Task.Run(() =>
    {
        // With a valid checksum some edits are legitimate (a changed weight); none may throw anything else.
        var random = new Random(99);
        int rejected = 0;
        for (int trial = 0; trial < 3000; trial++)
        {
            byte[] file = (byte[])Valid.Clone();
            int position = 20 + random.Next(file.Length - 24);
            file[position] = (byte)random.Next(256);
            FixChecksum(file);
            try
            {
                LoadWithinBudget(file);
            }
            catch (ModelFormatException)
            {
                rejected++;
            }
        }

        rejected.Should().BeGreaterThan(100, "edits to names, sizes and settings must be caught");
    });

    [Fact(Timeout = 120_000)]
    public async Task DamagedFiles_ThroughANonSeekableStream_AreRejected() => await Task.Run(() =>
    {
        var random = new Random(5);
        for (int trial = 0; trial < 500; trial++)
        {
            byte[] file = trial % 2 == 0 ? Valid[..random.Next(Valid.Length)] : (byte[])Valid.Clone();
            if (trial % 2 == 1)
            {
                BinaryPrimitives.WriteUInt64LittleEndian(file.AsSpan(12), (ulong)random.NextInt64(int.MaxValue));
            }

            long before = GC.GetAllocatedBytesForCurrentThread();
            Action load = () => Network<float>.Load(new NonSeekableStream(new MemoryStream(file)));
            load.Should().Throw<ModelFormatException>($"trial {trial}");
            (GC.GetAllocatedBytesForCurrentThread() - before).Should().BeLessThan(AllocationBudget, $"trial {trial}");
        }
    });

    private static void ExpectRejected(byte[] file, string because)
    {
        Action load = () => LoadWithinBudget(file);
        load.Should().Throw<ModelFormatException>(because);
    }

    private static void LoadWithinBudget(byte[] file)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            Network<float>.Load(new MemoryStream(file, writable: false));
        }
        finally
        {
            (GC.GetAllocatedBytesForCurrentThread() - before).Should().BeLessThan(AllocationBudget);
        }
    }

    private static ulong Read(byte[] file, int offset, int width) => width switch
    {
        1 => file[offset],
        4 => BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(offset)),
        _ => BinaryPrimitives.ReadUInt64LittleEndian(file.AsSpan(offset)),
    };

    private static void Write(byte[] file, int offset, int width, ulong value)
    {
        switch (width)
        {
            case 1:
                file[offset] = (byte)value;
                break;
            case 4:
                BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(offset), (uint)value);
                break;
            default:
                BinaryPrimitives.WriteUInt64LittleEndian(file.AsSpan(offset), value);
                break;
        }
    }

    private static byte[] BuildValid()
    {
        var random = new Random(1);
        var network = new Network<float>(
            RandomLinear<float>(3, 4, random),
            new NeuralNet.Layers.LeakyRelu<float>(0.25),
            RandomLinear<float>(4, 4, random),
            new NeuralNet.Layers.Elu<float>(0.5),
            RandomBatchNorm<float>(4, random),
            new NeuralNet.Layers.Dropout<float>(0.2, seed: 3),
            RandomLinear<float>(4, 2, random),
            new NeuralNet.Layers.Softmax<float>());
        using var buffer = new MemoryStream();
        network.Save(buffer);
        return buffer.ToArray();
    }
}
