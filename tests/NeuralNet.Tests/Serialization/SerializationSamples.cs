using System.Buffers.Binary;
using System.IO.Hashing;
using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Initializers;
using NeuralNet.Layers;

namespace NeuralNet.Tests.Serialization;

/// <summary>Networks, inputs and byte-level helpers shared by the serialization tests.</summary>
internal static class SerializationSamples
{
    /// <summary>The stable name of every layer kind and a factory for it (activations sit between two linear layers).</summary>
    public static readonly string[] LayerKinds =
        ["linear", "relu", "leaky_relu", "sigmoid", "tanh", "identity", "elu", "softplus", "gelu", "softmax", "dropout", "batch_norm_1d"];

    /// <summary>A layer of the given kind that keeps <paramref name="width"/> features (batch norm gets random γ, β and running statistics).</summary>
    public static ILayer<T> CreateActivation<T>(string kind, int width = 7)
        where T : unmanaged, IFloatingPointIeee754<T> => kind switch
        {
            "dropout" => new Dropout<T>(0.3, seed: 5),
            "batch_norm_1d" => RandomBatchNorm<T>(width, new Random(width)),
            "relu" => new Relu<T>(),
            "leaky_relu" => new LeakyRelu<T>(0.137),
            "sigmoid" => new Sigmoid<T>(),
            "tanh" => new Tanh<T>(),
            "identity" => new Identity<T>(),
            "elu" => new Elu<T>(0.73),
            "softplus" => new Softplus<T>(),
            "gelu" => new Gelu<T>(),
            "softmax" => new Softmax<T>(),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not an activation kind"),
        };

    /// <summary>Linear(5→7) · kind · Linear(7→3) with random weights and non-zero biases (or a single Linear for "linear").</summary>
    public static Network<T> NetworkWith<T>(string kind, int seed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(seed);
        var first = RandomLinear<T>(5, 7, random);
        var last = RandomLinear<T>(7, 3, random);
        return kind == "linear" ? new Network<T>(first) : new Network<T>(first, CreateActivation<T>(kind), last);
    }

    /// <summary>BatchNorm1d with γ, β, running mean and running variance all drawn away from their defaults.</summary>
    public static BatchNorm1d<T> RandomBatchNorm<T>(int features, Random random)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var norm = new BatchNorm1d<T>(features, momentum: 0.25, epsilon: 1e-3);
        for (int i = 0; i < features; i++)
        {
            norm.Parameters[0].ValueSpan[i] = T.CreateChecked(0.5 + random.NextDouble());
            norm.Parameters[1].ValueSpan[i] = T.CreateChecked(random.NextDouble() - 0.5);
            norm.RunningMean[i] = T.CreateChecked((2 * random.NextDouble()) - 1);
            norm.RunningVariance[i] = T.CreateChecked(0.5 + (1.5 * random.NextDouble()));
        }

        return norm;
    }

    public static Linear<T> RandomLinear<T>(int inputs, int outputs, Random random)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var layer = new Linear<T>(inputs, outputs, random, Initializer.GlorotNormal);
        for (int i = 0; i < outputs; i++)
        {
            layer.Bias[i] = T.CreateChecked(random.NextDouble() - 0.5);
        }

        return layer;
    }

    public static Matrix<T> RandomInput<T>(int features, int batch, int seed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(seed);
        return Matrix<T>.Build.Dense(features, batch, (_, _) => T.CreateChecked((random.NextDouble() * 6) - 3));
    }

    /// <summary>The exact bit patterns of a matrix's values, so comparisons are bit for bit (NaN payloads and −0 included).</summary>
    public static long[] Bits<T>(Matrix<T> matrix)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        [.. matrix.ToColumnMajorArray().Select(v => typeof(T) == typeof(float)
            ? BitConverter.SingleToInt32Bits(float.CreateTruncating(v))
            : BitConverter.DoubleToInt64Bits(double.CreateTruncating(v)))];

    /// <summary>Recomputes the trailing CRC-32 after a deliberate edit, so the edit reaches the payload parser.</summary>
    public static void FixChecksum(byte[] file)
    {
        uint crc = Crc32.HashToUInt32(file.AsSpan(0, file.Length - 4));
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(file.Length - 4), crc);
    }

    /// <summary>Every size or count field of a version-2 file (see <see cref="ModelFileLayout"/>).</summary>
    public static List<(int Offset, int Width, string Field)> SizeFields(byte[] file, int elementSize) =>
        ModelFileLayout.Of(file, elementSize).SizeFields;

    /// <summary>A read-only stream that cannot seek and returns at most 1,000 bytes per read, like a pipe.</summary>
    public sealed class NonSeekableStream(Stream inner) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, Math.Min(count, 1000));

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
