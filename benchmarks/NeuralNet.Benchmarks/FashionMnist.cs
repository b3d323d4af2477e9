using System.IO.Compression;
using MathNet.Numerics.LinearAlgebra;

namespace NeuralNet.Benchmarks;

/// <summary>
/// A minimal reader of the gzipped IDX files of Fashion-MNIST for the epoch benchmark (the library's own reader
/// lives elsewhere): pixels scaled to [0, 1], one sample per column.
/// </summary>
internal static class FashionMnist
{
    private static readonly string[] Folders = ["/usr/share/datasets/fashion-mnist", "/work/shared/data/fashion-mnist"];

    /// <summary>The folder holding the IDX files, from NEURALNET_FASHION_MNIST or the known locations.</summary>
    public static string Folder()
    {
        string? configured = Environment.GetEnvironmentVariable("NEURALNET_FASHION_MNIST");
        foreach (string folder in configured is null ? Folders : [configured, .. Folders])
        {
            if (File.Exists(Path.Combine(folder, "train-images-idx3-ubyte.gz")))
            {
                return folder;
            }
        }

        throw new FileNotFoundException(
            $"Fashion-MNIST not found in {string.Join(" or ", Folders)}; set NEURALNET_FASHION_MNIST to the folder with train-images-idx3-ubyte.gz.");
    }

    /// <summary>The 60,000 training images (784 × 60,000) and their labels.</summary>
    public static (Matrix<float> Images, int[] Labels) LoadTraining()
    {
        string folder = Folder();
        byte[] images = ReadIdx(Path.Combine(folder, "train-images-idx3-ubyte.gz"), 0x803, out int[] imageShape);
        byte[] labels = ReadIdx(Path.Combine(folder, "train-labels-idx1-ubyte.gz"), 0x801, out int[] labelShape);
        int count = imageShape[0], pixels = imageShape[1] * imageShape[2];
        if (labelShape[0] != count)
        {
            throw new InvalidDataException($"Fashion-MNIST: {count} images but {labelShape[0]} labels.");
        }

        var values = new float[images.Length];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = images[i] / 255f;
        }

        return (Matrix<float>.Build.Dense(pixels, count, values), Array.ConvertAll(labels, b => (int)b));
    }

    private static byte[] ReadIdx(string path, int expectedMagic, out int[] shape)
    {
        using var stream = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var reader = new BinaryReader(stream);
        int magic = ReadBigEndian(reader);
        if (magic != expectedMagic)
        {
            throw new InvalidDataException($"{path}: IDX magic 0x{magic:X} instead of 0x{expectedMagic:X}.");
        }

        shape = new int[magic & 0xFF];
        long total = 1;
        for (int d = 0; d < shape.Length; d++)
        {
            shape[d] = ReadBigEndian(reader);
            total *= shape[d];
        }

        byte[] data = reader.ReadBytes(checked((int)total));
        if (data.Length != total)
        {
            throw new InvalidDataException($"{path}: expected {total} bytes of data, found {data.Length}.");
        }

        return data;
    }

    private static int ReadBigEndian(BinaryReader reader) =>
        System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(reader.ReadBytes(4));
}
