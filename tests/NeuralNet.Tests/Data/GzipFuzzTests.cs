using System.IO.Hashing;
using NeuralNet.Data;

namespace NeuralNet.Tests.Data;

/// <summary>
/// Seeded property tests of gzip input (Gzip.Open, behind IdxReader and CsvLoader): whatever the bytes, reading gives
/// back exactly what was compressed or a DataFileException, never a shorter or different result silently.
/// </summary>
public sealed class GzipFuzzTests
{
    [Fact]
    public void Crc32Combine_MatchesTheChecksumOfTheConcatenation()
    {
        var random = new Random(12);
        for (int i = 0; i < 200; i++)
        {
            byte[] first = RandomBytes(random, random.Next(0, 3000));
            byte[] second = RandomBytes(random, random.Next(0, 3000));

            uint combined = Gzip.Combine(Crc32.HashToUInt32(first), Crc32.HashToUInt32(second), second.Length);

            combined.Should().Be(Crc32.HashToUInt32([.. first, .. second]), $"case {i}");
        }
    }

    [Fact]
    public void Gzip_MultiMemberFile_ReadsWholeThroughAnyChunking()
    {
        var random = new Random(1);
        for (int i = 0; i < 150; i++)
        {
            int members = random.Next(1, 5);
            var original = new List<byte>();
            var file = new List<byte>();
            for (int m = 0; m < members; m++)
            {
                byte[] part = Compressible(random, random.Next(m == members - 1 ? 1 : 0, 20_000));
                original.AddRange(part);
                file.AddRange(TempFiles.Compress(part));
            }

            byte[] bytes = [.. file];
            ReadAll(new NonSeekableStream(bytes, chunk: random.Next(1, 5000))).Should().Equal(original, $"case {i}");
            ReadAll(new MemoryStream(bytes)).Should().Equal(original, $"case {i}");
        }
    }

    [Fact]
    public void Gzip_EveryTruncation_IsRejected()
    {
        var random = new Random(2);
        byte[] original = Compressible(random, 3000);
        byte[] gzip = TempFiles.Compress(original);

        for (int length = 2; length < gzip.Length; length++)
        {
            byte[] cut = gzip[..length];
            FuzzSupport.Expect(() => ReadAll(new NonSeekableStream(cut, chunk: 700)), $"cut to {length} of {gzip.Length}", maxAllocated: 4 << 20)
                .Should().NotBeNull($"{length} of {gzip.Length} bytes is a truncated file");
        }
    }

    [Fact]
    public void Gzip_BitFlips_GiveTheOriginalBytesOrDataFileException()
    {
        var random = new Random(3);
        int rejected = 0;
        for (int i = 0; i < 1500; i++)
        {
            byte[] original = Compressible(random, random.Next(1, 4000));
            byte[] damaged = FuzzSupport.FlipBit(TempFiles.Compress(original), random);
            if (damaged[0] != 0x1F || damaged[1] != 0x8B)
            {
                continue; // no longer gzip: read as raw bytes, which is right
            }

            byte[]? read = null;
            DataFileException? error = FuzzSupport.Expect(() => read = ReadAll(new MemoryStream(damaged)), $"case {i}", maxAllocated: 8 << 20);
            if (error is null)
            {
                read.Should().Equal(original, $"case {i}: a flip the checksum does not cover (e.g. in the header's time) must not change the data");
            }
            else
            {
                rejected++;
            }
        }

        rejected.Should().BeGreaterThan(500, "most flips land in checked data");
    }

    [Fact]
    public void Gzip_BytesAfterTheLastMember_AreRejected()
    {
        var random = new Random(4);
        for (int i = 0; i < 200; i++)
        {
            byte[] original = Compressible(random, random.Next(1, 2000));
            byte[] extra = RandomBytes(random, random.Next(1, 40));
            byte[] padded = [.. TempFiles.Compress(original), .. extra];

            FuzzSupport.Expect(() => ReadAll(new NonSeekableStream(padded, chunk: 512)), $"case {i}", maxAllocated: 4 << 20)
                .Should().NotBeNull($"case {i}: {extra.Length} bytes follow the gzip data");
        }
    }

    [Fact]
    public void Gzip_EmptyFile_ReadsAsNoBytes()
    {
        // What gzip(1) writes for empty input (GZipStream writes nothing at all): header, an empty final block, trailer.
        byte[] empty = [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 3, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0];

        ReadAll(new MemoryStream(empty)).Should().BeEmpty();
        ReadAll(new NonSeekableStream(empty, chunk: 1)).Should().BeEmpty();
    }

    private static byte[] ReadAll(Stream source)
    {
        (Stream data, _) = Gzip.Open(source, "fuzz.gz", leaveOpen: false);
        using (data)
        {
            var output = new MemoryStream();
            data.CopyTo(output);
            return output.ToArray();
        }
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        byte[] bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    /// <summary>Data with runs and repeats, so deflate uses all its block kinds.</summary>
    private static byte[] Compressible(Random random, int length)
    {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++)
        {
            bytes[i] = random.Next(4) == 0 ? (byte)random.Next(256) : (byte)('a' + (i / 7 % 5));
        }

        return bytes;
    }
}
