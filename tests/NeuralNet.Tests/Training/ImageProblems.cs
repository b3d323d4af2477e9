using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Data;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Training;

namespace NeuralNet.Tests.Training;

/// <summary>Small image problems for the data-pipeline tests: pixels are whole numbers 0 … 255, so they fit every sample-file encoding.</summary>
internal static class ImageProblems
{
    public static readonly Shape ImageShape = Shape.Of(1, 6, 6);

    /// <summary>50 images of 1 × 6 × 6 in 3 classes (the class decides which third of the image is bright).</summary>
    public static Dataset<float> Images(int count = 50, int seed = 1)
    {
        var random = new Random(seed);
        int[] labels = [.. Enumerable.Range(0, count).Select(_ => random.Next(3))];
        var features = Matrix<float>.Build.Dense(36, count, (i, j) => (i % 6) / 2 == labels[j] ? 150 + random.Next(106) : random.Next(100));
        return Dataset<float>.ForClassification(features, labels, classCount: 3);
    }

    /// <summary>1×6×6 → flatten → 12 → ReLU → 3, with the image shape declared.</summary>
    public static Network<float> Mlp(int seed = 5)
    {
        var random = new Random(seed);
        return new Network<float>(ImageShape, new Flatten<float>(), new Linear<float>(36, 12, random), new Relu<float>(), new Linear<float>(12, 3, random));
    }

    /// <summary>A small CNN: conv 3×3 (4 channels) → ReLU → max pool 2 → flatten → 3.</summary>
    public static Network<float> Cnn(int seed = 6)
    {
        var random = new Random(seed);
        return new Network<float>(
            ImageShape, new Conv2d<float>(1, 4, 3, random), new Relu<float>(), new MaxPool2d<float>(2), new Flatten<float>(), new Linear<float>(16, 3, random));
    }

    /// <summary>The augmentation of the tests: shift by up to 1, flip, then scale the pixels.</summary>
    public static ISampleTransform[] Augmentation() => [new RandomShift(1), new RandomHorizontalFlip(), new NormalizeChannels([100.0], [80.0])];

    public static TrainerOptions Options(bool background, bool augmented = true) => new()
    {
        Epochs = 3,
        BatchSize = 8, // 50 samples: six batches of 8 and one of 2
        Seed = 11,
        AssembleBatchesInBackground = background,
        Augmentation = augmented ? Augmentation() : null,
    };

    public static Trainer<float> Trainer(Network<float> network, TrainerOptions options) =>
        new(network, new CrossEntropyLoss<float>(), new Sgd<float>(0.01, momentum: 0.9), options);

    /// <summary>Every parameter and buffer value, as raw bits.</summary>
    public static int[] Bits(Network<float> network) =>
        [.. network.Layers.SelectMany(l => l.Parameters.SelectMany(p => p.ValueSpan.ToArray()).Concat(l.Buffers.SelectMany(b => b.Values.ToArray()))).Select(BitConverter.SingleToInt32Bits)];
}

/// <summary>Copies every sample it sees (on whichever thread runs it), and leaves it unchanged.</summary>
internal sealed class RecordingTransform : ISampleTransform
{
    private readonly List<float[]> samples = [];

    public IReadOnlyList<float[]> Samples
    {
        get
        {
            lock (samples)
            {
                return [.. samples];
            }
        }
    }

    public void CheckShape(Shape sampleShape)
    {
    }

    public void Apply<T>(Span<T> sample, Shape sampleShape, ulong randomBits)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        lock (samples)
        {
            samples.Add([.. sample.ToArray().Select(float.CreateChecked)]);
        }
    }
}

/// <summary>Another source's samples, with a hook that runs at every read (on whichever thread reads).</summary>
internal sealed class HookedSource(IDataSource<float> inner, Action<int> onRead) : IDataSource<float>
{
    private int reads;

    public int Count => inner.Count;

    public int FeatureCount => inner.FeatureCount;

    public Shape? SampleShape => inner.SampleShape;

    public int ClassCount => inner.ClassCount;

    public int TargetCount => inner.TargetCount;

    public void ReadSamples(ReadOnlySpan<int> indices, Span<float> features, Span<int> labels, Span<float> targets)
    {
        onRead(++reads);
        inner.ReadSamples(indices, features, labels, targets);
    }
}
