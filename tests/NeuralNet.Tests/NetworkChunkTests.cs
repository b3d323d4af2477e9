using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Compute;
using NeuralNet.Initializers;
using NeuralNet.Layers;
using NeuralNet.Tests.Compute;

namespace NeuralNet.Tests;

/// <summary>
/// <c>Network.Predict</c> runs a batch wider than a chunk chunk by chunk: the result must be bit for bit the unchunked
/// one on every path and element type, at and around the chunk boundary, for every layer kind; and the chunks keep the
/// intermediates in the per-thread scratch, so a large batch allocates only its result.
/// </summary>
public sealed class NetworkChunkTests
{
    public static TheoryData<GemmPath, int> PathsAndBatches()
    {
        var data = new TheoryData<GemmPath, int>();
        int chunk = SmallCnn<float>().ChunkWidth;
        foreach (GemmPath path in new[] { GemmPath.Vector512, GemmPath.Vector256, GemmPath.Portable }.Where(ComputeSettings.IsSupported))
        {
            foreach (int batch in new[] { chunk - 1, chunk, chunk + 1, 2 * chunk, 1000 })
            {
                data.Add(path, batch);
            }
        }

        return data;
    }

    [Fact]
    public void ChunkWidth_OfTheIssueCnn_KeepsConv1sOutputWithinTheCachedScratch()
    {
        // conv1 gives 32·28·28 = 25,088 values per sample; 2¹⁸ of them are 10 samples.
        SmallCnn<float>().ChunkWidth.Should().Be(10);
    }

    [Theory]
    [MemberData(nameof(PathsAndBatches))]
    public void Predict_CnnInChunks_EqualsTheUnchunkedResultBitForBit(GemmPath path, int batch)
    {
        Network<float> network = SmallCnn<float>();
        Matrix<float> input = Images<float>(batch, seed: batch);
        using (new ForcedPath(path))
        {
            Matrix<float> chunked = network.Predict(input);
            Matrix<float> whole = Unchunked(network, input);

            Bits(chunked).Should().Equal(Bits(whole));
        }
    }

    [Theory]
    [InlineData(9)]
    [InlineData(11)]
    public void Predict_CnnInChunksInDouble_EqualsTheUnchunkedResult(int batch)
    {
        Network<double> network = SmallCnn<double>();
        Matrix<double> input = Images<double>(batch, seed: batch);

        network.Predict(input).AsColumnMajorArray().Should().Equal(Unchunked(network, input).AsColumnMajorArray());
    }

    public static TheoryData<GemmPath> Paths()
    {
        var data = new TheoryData<GemmPath>();
        foreach (GemmPath path in new[] { GemmPath.Vector512, GemmPath.Vector256, GemmPath.Portable }.Where(ComputeSettings.IsSupported))
        {
            data.Add(path);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Predict_EveryLayerKindInChunksOfEight_EqualsTheUnchunkedResultBitForBit(GemmPath path)
    {
        Network<float> network = EveryKind<float>();
        Matrix<float> input = Images<float>(37, seed: 3, channels: 3, size: 12);
        using (new ForcedPath(path))
        {
            network.Forward(input);  // training mode once: the batch norms get running statistics that are not 0 and 1
            Matrix<float> chunked = ChunkedBy(8, network, input);
            Matrix<float> whole = Unchunked(network, input);

            Bits(chunked).Should().Equal(Bits(whole));
        }
    }

    [Fact]
    public void Predict_EveryLayerKindInChunksOfEightInDouble_EqualsTheUnchunkedResult()
    {
        Network<double> network = EveryKind<double>();
        Matrix<double> input = Images<double>(37, seed: 4, channels: 3, size: 12);
        network.Forward(input);

        ChunkedBy(8, network, input).AsColumnMajorArray().Should().Equal(Unchunked(network, input).AsColumnMajorArray());
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Predict_MlpWithATinyLastLayerInChunks_EqualsTheUnchunkedResultBitForBit(GemmPath path)
    {
        // The last product, 2 × 3 weights, is small enough at 8 columns for the tiny-product loops and takes the blocked
        // kernel at 500: both must sum each column in the same order.
        var random = new Random(6);
        var network = new Network<float>(
            new Linear<float>(40, 3, random, Initializer.HeNormal), new Relu<float>(), new Linear<float>(3, 2, random));
        var input = Matrix<float>.Build.Dense(40, 500, (_, _) => (float)((2 * random.NextDouble()) - 1));
        using (new ForcedPath(path))
        {
            Bits(ChunkedBy(8, network, input)).Should().Equal(Bits(Unchunked(network, input)));
        }
    }

    [Fact]
    public void Predict_CnnAtBatch1000_AllocatesOnlyTheResult()
    {
        Network<float> network = SmallCnn<float>();
        Matrix<float> input = Images<float>(1000, seed: 8);
        network.Predict(input);

        long before = GC.GetAllocatedBytesForCurrentThread();
        Matrix<float> result = network.Predict(input);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // The result's 10 × 1000 floats, plus the matrix and storage objects around them.
        allocated.Should().BeLessThan((10 * 1000 * sizeof(float)) + 1024, $"intermediates come from the per-thread scratch ({result.ColumnCount} columns)");
    }

    [Fact]
    public void PredictSpan_Cnn_AllocatesNothingAfterWarmUp()
    {
        Network<float> network = SmallCnn<float>();
        float[] sample = Images<float>(1, seed: 9).AsColumnMajorArray();
        var output = new float[10];
        network.Predict(sample, output);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 20; i++)
        {
            network.Predict(sample, output);
        }

        (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0);
    }

    [Fact]
    public void Predict_CnnInChunksFrom8Threads_EqualsSingleThreadedResults()
    {
        Network<float> network = SmallCnn<float>();
        int[] batches = [1, 9, 10, 11, 37];
        Matrix<float>[] inputs = [.. batches.Select(n => Images<float>(n, seed: n))];
        float[][] expected = [.. inputs.Select(i => network.Predict(i).AsColumnMajorArray())];

        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, thread =>
        {
            for (int round = 0; round < 3; round++)
            {
                for (int b = 0; b < inputs.Length; b++)
                {
                    int which = (b + thread + round) % inputs.Length;
                    if (!network.Predict(inputs[which]).AsColumnMajorArray().AsSpan().SequenceEqual(expected[which]))
                    {
                        failures.Add($"thread {thread}, round {round}, batch {batches[which]}");
                    }
                }
            }
        });

        failures.Should().BeEmpty();
    }

    /// <summary>The issue's CNN: Conv2d(1,32,3,p1) → ReLU → MaxPool 2 → Conv2d(32,64,3,p1) → ReLU → MaxPool 2 → Flatten → Linear(3136,128) → ReLU → Dropout → Linear(128,10).</summary>
    internal static Network<T> SmallCnn<T>()
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(1);
        return new Network<T>(
            Shape.Of(1, 28, 28),
            new Conv2d<T>(1, 32, 3, random, Initializer.HeNormal, padding: 1),
            new Relu<T>(),
            new MaxPool2d<T>(2),
            new Conv2d<T>(32, 64, 3, random, Initializer.HeNormal, padding: 1),
            new Relu<T>(),
            new MaxPool2d<T>(2),
            new Flatten<T>(),
            new Linear<T>(3136, 128, random, Initializer.HeNormal),
            new Relu<T>(),
            new Dropout<T>(0.5, 7),
            new Linear<T>(128, 10, random));
    }

    internal static Matrix<T> Images<T>(int batch, int seed, int channels = 1, int size = 28)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(seed);
        return Matrix<T>.Build.Dense(channels * size * size, batch, (_, _) => T.CreateChecked((2 * random.NextDouble()) - 1));
    }

    /// <summary>Convolutions (implicit, im2col, strided, pointwise, grouped), pools, normalisations and activations of every shape of work.</summary>
    private static Network<T> EveryKind<T>()
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(2);
        return new Network<T>(
            Shape.Of(3, 12, 12),
            new Conv2d<T>(3, 13, 3, random, Initializer.HeNormal, padding: 1),
            new BatchNorm2d<T>(13),
            new Relu<T>(),
            new Conv2d<T>(13, 12, 3, random, Initializer.HeNormal, stride: 2, groups: 1),
            new Gelu<T>(),
            new AvgPool2d<T>(2),
            new Conv2d<T>(12, 8, 1, random),
            new Conv2d<T>(8, 8, 2, random, groups: 4),
            new Relu<T>(),
            new Flatten<T>(),
            new Linear<T>(8, 20, random, Initializer.HeNormal),
            new BatchNorm1d<T>(20),
            new LayerNorm<T>(20),
            new Tanh<T>(),
            new Dropout<T>(0.3, 5),
            new Linear<T>(20, 5, random),
            new Softmax<T>());
    }

    private static Matrix<T> ChunkedBy<T>(int columns, Network<T> network, Matrix<T> input)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Network<T>.ForcedChunkColumns = columns;
        try
        {
            return network.Predict(input);
        }
        finally
        {
            Network<T>.ForcedChunkColumns = null;
        }
    }

    private static Matrix<T> Unchunked<T>(Network<T> network, Matrix<T> input)
        where T : unmanaged, IFloatingPointIeee754<T> => ChunkedBy(int.MaxValue, network, input);

    private static int[] Bits(Matrix<float> matrix) => [.. matrix.AsColumnMajorArray().Select(BitConverter.SingleToInt32Bits)];
}
