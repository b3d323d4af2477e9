using NeuralNet.Data;
using NeuralNet.Training;
using static NeuralNet.Tests.Training.ImageProblems;

namespace NeuralNet.Tests.Training;

/// <summary>
/// Steady-state batches allocate nothing, on the training thread and on the batch thread: each thread's own allocation
/// counter (other tests run in parallel, so the process-wide counter would not do) is read at batch 100 and batch 700
/// of one long epoch from a callback (training thread), and at every read of the source with the reading thread (the
/// batch thread, or the training thread when it assembles a batch itself), summing what each thread allocated between
/// two of its own reads.
/// </summary>
public sealed class BatchAllocationTests : IDisposable
{
    private const int First = 100;
    private const int Last = 700;

    private readonly string directory = Directory.CreateTempSubdirectory("nnet-allocation-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    public static TheoryData<bool, bool> Cases() => new() { { false, false }, { true, false }, { false, true }, { true, true } };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Fit_SteadyStateBatches_AllocateNothingOnEitherThread(bool background, bool fromFile)
    {
        // 801 samples in batches of 1: 801 batches, the last a full one, so buffers of one shape only after the warm-up.
        Dataset<float> images = Images(count: 801);
        using SampleFile<float>? file = fromFile ? WriteFile(images) : null;
        long[] reading = new long[Last + 2];
        int[] readers = new int[Last + 2];
        long[] training = new long[Last + 1];
        var source = new HookedSource(file ?? (IDataSource<float>)images, read =>
        {
            if (read < reading.Length)
            {
                reading[read] = GC.GetAllocatedBytesForCurrentThread();
                readers[read] = Environment.CurrentManagedThreadId;
            }
        });
        Trainer<float> trainer = Trainer(Mlp(), Options(background) with { Epochs = 1, BatchSize = 1 });
        trainer.Callbacks.Add(new BatchHook(context =>
        {
            if (context.Batch <= Last)
            {
                training[context.Batch] = GC.GetAllocatedBytesForCurrentThread();
            }
        }));

        trainer.Fit(source);

        (training[Last] - training[First]).Should().Be(0, "the training thread allocates nothing from batch {0} to {1}", First, Last);
        long betweenReads = 0;
        var lastRead = new Dictionary<int, long>();
        for (int read = First + 1; read <= Last + 1; read++)
        {
            if (lastRead.TryGetValue(readers[read], out long before))
            {
                betweenReads += reading[read] - before;
            }

            lastRead[readers[read]] = reading[read];
        }

        betweenReads.Should().Be(0, "the reading threads allocate nothing between those batches");
        training[First].Should().BeGreaterThan(0, "the counter works");
    }

    private SampleFile<float> WriteFile(Dataset<float> images)
    {
        string path = Path.Combine(directory, "images.samples");
        SampleFile<float>.Write(path, images, ImageShape, SampleEncoding.UInt8);
        return new SampleFile<float>(path);
    }
}
