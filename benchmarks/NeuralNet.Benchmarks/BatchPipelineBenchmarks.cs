using BenchmarkDotNet.Attributes;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Compute;
using NeuralNet.Data;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Training;

namespace NeuralNet.Benchmarks;

/// <summary>
/// The trainer's batch pipeline for batches of 64 images of 1 × 28 × 28, per batch: gathering alone, gathering with
/// the augmentation (RandomShift(2), RandomHorizontalFlip, NormalizeChannels) on the calling thread, and a small CNN
/// training step (conv 3×3 ×16, pool, conv 3×3 ×32, pool, linear; SGD) fed by the synchronous path or by the
/// background thread. Each invocation runs 16 batches; the figures are per batch. <see cref="Threads"/> caps the
/// matrix product's threads, which the batch thread competes with on a two-core machine.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 9)]
public class BatchPipelineBenchmarks
{
    private const int BatchSize = 64;
    private const int Batches = 16;
    private const int BatchesPerEpoch = 100;

    private BatchAssembler<float> plain = null!, augmented = null!;
    private BatchBuffers<float> buffers = null!;
    private BackgroundBatchFeed<float> background = null!;
    private Network<float> cnn = null!;
    private readonly CrossEntropyLoss<float> loss = new();
    private Sgd<float> optimizer = null!;
    private Matrix<float> gradient = null!;
    private long synchronousPosition, backgroundPosition;

    /// <summary>Cap on the threads a matrix product may use.</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        ComputeInfo.MaxThreads = Threads;
        var random = new Random(1);
        int count = BatchSize * BatchesPerEpoch;
        var images = Matrix<float>.Build.Dense(784, count, (_, _) => random.Next(256));
        var data = Dataset<float>.ForClassification(images, [.. Enumerable.Range(0, count).Select(j => j % 10)], 10);
        var options = new TrainerOptions { Seed = 1, Augmentation = [new RandomShift(2), new RandomHorizontalFlip(), new NormalizeChannels([0.0], [255.0])] };
        BatchAugmentation augmentation = BatchAugmentation.Create<float>(options, Cnn(random), data)!;
        plain = new BatchAssembler<float>(new ShuffleOrder(count, 1, true), count, BatchSize, null);
        augmented = new BatchAssembler<float>(new ShuffleOrder(count, 1, true), count, BatchSize, augmentation);
        buffers = new BatchBuffers<float>(data, BatchSize);
        var feeding = new BatchAssembler<float>(new ShuffleOrder(count, 1, true), count, BatchSize, augmentation);
        background = new BackgroundBatchFeed<float>(
            feeding, new BatchBuffers<float>(data, BatchSize), new BatchBuffers<float>(data, BatchSize), 1, int.MaxValue, BatchesPerEpoch, CancellationToken.None);
        cnn = Cnn(random);
        optimizer = new Sgd<float>(0.01, momentum: 0.9);
        gradient = Matrix<float>.Build.Dense(10, BatchSize);
    }

    [GlobalCleanup]
    public void Cleanup() => background.Dispose();

    [Benchmark(Description = "gather, batch 64 of 1x28x28", OperationsPerInvoke = Batches)]
    public float Gather()
    {
        for (int i = 0; i < Batches; i++)
        {
            (int epoch, int batch) = Next(ref synchronousPosition);
            plain.Assemble(buffers, epoch, batch);
        }

        return buffers.Input[0, 0];
    }

    [Benchmark(Description = "gather + shift, flip, normalize", OperationsPerInvoke = Batches)]
    public float GatherAndAugment()
    {
        for (int i = 0; i < Batches; i++)
        {
            (int epoch, int batch) = Next(ref synchronousPosition);
            augmented.Assemble(buffers, epoch, batch);
        }

        return buffers.Input[0, 0];
    }

    [Benchmark(Description = "CNN step, batch assembled synchronously", OperationsPerInvoke = Batches)]
    public float CnnStepSynchronous()
    {
        float total = 0;
        for (int i = 0; i < Batches; i++)
        {
            (int epoch, int batch) = Next(ref synchronousPosition);
            augmented.Assemble(buffers, epoch, batch);
            total += Step(buffers);
        }

        return total;
    }

    [Benchmark(Description = "CNN step, batch assembled in background", OperationsPerInvoke = Batches)]
    public float CnnStepBackground()
    {
        float total = 0;
        for (int i = 0; i < Batches; i++)
        {
            (int epoch, int batch) = Next(ref backgroundPosition);
            total += Step(background.Next(epoch, batch));
        }

        return total;
    }

    private static Network<float> Cnn(Random random) => new(
        Shape.Of(1, 28, 28),
        new Conv2d<float>(1, 16, 3, random, padding: 1), new Relu<float>(), new MaxPool2d<float>(2),
        new Conv2d<float>(16, 32, 3, random, padding: 1), new Relu<float>(), new MaxPool2d<float>(2),
        new Flatten<float>(), new Linear<float>(32 * 7 * 7, 10, random));

    /// <summary>The (epoch, batch) of the next batch; the synchronous assemblers restart their epochs' shuffle in order too.</summary>
    private static (int Epoch, int Batch) Next(ref long position)
    {
        long current = position++;
        return ((int)(current / BatchesPerEpoch) + 1, (int)(current % BatchesPerEpoch) + 1);
    }

    private float Step(BatchBuffers<float> batch)
    {
        Matrix<float> output = cnn.Forward(batch.Input);
        float value = loss.Compute(output, batch.Labels.Span, gradient);
        cnn.BackwardParameters(gradient);
        optimizer.Step(cnn.Parameters);
        return value;
    }
}
