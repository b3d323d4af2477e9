using System.Buffers.Binary;
using NeuralNet.Data;

namespace NeuralNet.Tests.Data;

/// <summary>
/// Seeded fuzzing of IdxReader: truncations, bit flips, mutated header fields and junk, raw and gzipped, seekable and
/// not. Only DataFileException may come out, with bounded messages and allocation bounded by the input, never by
/// what the header claims.
/// </summary>
public sealed class IdxFuzzTests
{
    private static readonly int[] InterestingSizes = [0, 1, 2, 3, 255, 256, 65535, 65536, 1 << 24, int.MaxValue, int.MinValue, -1, 0x7FFFFFC7, 0x7FFFFFC8];

    [Fact]
    public void Idx_MutatedFiles_GiveArrayOrDataFileExceptionWithinBoundedMemory()
    {
        var random = new Random(2024);
        for (int i = 0; i < 3000; i++)
        {
            byte[] valid = ValidFile(random);
            byte[] mutated = Mutate(valid, random);
            bool gzip = random.Next(3) == 0;
            byte[] input = gzip ? TempFiles.Compress(mutated) : mutated;
            if (gzip && input.Length > 2 && random.Next(2) == 0)
            {
                input = random.Next(2) == 0 ? input[..random.Next(2, input.Length)] : FuzzSupport.FlipBit(input, random);
            }

            Stream stream = random.Next(2) == 0 ? new MemoryStream(input) : new NonSeekableStream(input, chunk: random.Next(1, 4096));
            string because = $"case {i}: {Convert.ToHexString(input.AsSpan(0, Math.Min(input.Length, 48)))}";

            // 1 MiB first chunk, doubling as data really arrives: far below 2 GB whatever the header says.
            FuzzSupport.Expect(
                () =>
                {
                    IdxArray array = IdxReader.Read(stream, "fuzz.idx");
                    array.Values.Length.Should().Be(array.Dimensions.Aggregate(1L, (product, size) => product * size) is var n && n > 0 ? (int)n : 0);
                    if (array.Dimensions.Count == 1)
                    {
                        IdxReader.ToLabels(array).Length.Should().Be(array.ItemCount);
                    }
                    else
                    {
                        IdxReader.ToImages(array, IdxReader.ScaledBytes<float>(1.0 / 255));
                    }
                },
                because,
                maxAllocated: (8L << 20) + (16L * input.Length));
        }
    }

    private static byte[] ValidFile(Random random)
    {
        int rank = random.Next(1, 4);
        int[] dimensions = [.. Enumerable.Range(0, rank).Select(_ => random.Next(1, 6))];
        byte[] data = new byte[dimensions.Aggregate(1, (product, size) => product * size)];
        random.NextBytes(data);
        return IdxBytes.Build(dimensions, data);
    }

    private static byte[] Mutate(byte[] valid, Random random)
    {
        byte[] bytes = (byte[])valid.Clone();
        switch (random.Next(6))
        {
            case 0:
                return bytes[..random.Next(0, bytes.Length)];
            case 1:
                return FuzzSupport.FlipBit(bytes, random);
            case 2:
                int rank = bytes[3];
                int field = random.Next(rank);
                BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + (4 * field)), InterestingSizes[random.Next(InterestingSizes.Length)]);
                return bytes;
            case 3:
                bytes[random.Next(4)] = (byte)random.Next(256); // magic, type or rank
                return bytes;
            case 4:
                byte[] junk = new byte[random.Next(1, 20)];
                random.NextBytes(junk);
                return [.. bytes, .. junk];
            default:
                return bytes;
        }
    }
}
