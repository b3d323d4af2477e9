using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Initializers;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Optimizers;

namespace NeuralNet.Tests.Compute;

/// <summary>
/// What <c>Predict</c> leaves behind on the threads that call it: its per-thread scratch is released when a thread ends,
/// and a thread that lives on keeps at most the documented amount, whatever batch sizes it has predicted; meanwhile
/// every thread's answers are bit-identical to the single-threaded ones. Measured with <see cref="GC.GetTotalMemory(bool)"/>,
/// so these tests run alone (<see cref="ProcessMemoryCollection"/>).
/// </summary>
[Collection(ProcessMemoryCollection.Name)]
public sealed class PredictMemoryTests
{
    /// <summary>The documented bound (docs/robustness.md): 2 slots × 3 cached matrices of at most 2¹⁸ float elements.</summary>
    private const long ScratchBoundPerThread = 2 * 3 * (1 << 18) * sizeof(float);

    /// <summary>Slack for what measuring retained bytes itself perturbs (thread objects, the runtime's own caches).</summary>
    private const long Slack = 1 << 20;

    /// <summary>Batch sizes: three small ones (cached by every version) and three whose first intermediate exceeds 2¹⁸ elements.</summary>
    private static readonly int[] Batches = [1, 7, 300, 1500, 2000, 2500];

    private static readonly int[] Small = [0, 1, 2];

    [Fact(Timeout = 120_000)]
    public async Task Predict_On64ShortLivedThreads_ReleasesEveryThreadsScratchAndMatchesOneThread() => await Task.Run(() =>
    {
        (Network<float> network, Matrix<float>[] inputs, long[][] expected) = TrainedNetwork();
        long before = Retained();

        for (int round = 0; round < 4; round++)
        {
            var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
            Thread[] threads = [.. Enumerable.Range(0, 16).Select(t => new Thread(() => PredictAll(network, inputs, expected, [Small[t % 3], 3], $"round {round}, thread {t}", failures)))];
            foreach (Thread thread in threads)
            {
                thread.Start();
            }

            foreach (Thread thread in threads)
            {
                thread.Join();
            }

            failures.Should().BeEmpty();
        }

        // 64 threads each cached about 3 MB of intermediates; ended threads must keep none of it.
        (Retained() - before).Should().BeLessThan(16 * Slack);
    });

    [Fact(Timeout = 120_000)]
    public async Task Predict_OnLongLivedThreads_KeepsAtMostTheDocumentedScratchPerThread() => await Task.Run(() =>
    {
        (Network<float> network, Matrix<float>[] inputs, long[][] expected) = TrainedNetwork();
        const int Threads = 4;
        using var predicted = new CountdownEvent(Threads);
        using var release = new ManualResetEventSlim();
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        long before = Retained();
        Thread[] threads = [.. Enumerable.Range(0, Threads).Select(t => new Thread(() =>
        {
            PredictAll(network, inputs, expected, [.. Enumerable.Range(0, Batches.Length)], $"thread {t}", failures);
            predicted.Signal();
            release.Wait();
        }))];
        foreach (Thread thread in threads)
        {
            thread.Start();
        }

        try
        {
            predicted.Wait();
            long held = Retained() - before;

            failures.Should().BeEmpty();
            (held / Threads).Should().BeLessThan(ScratchBoundPerThread + Slack, "a living thread keeps at most the documented scratch, however large its batches were");
        }
        finally
        {
            release.Set();
            foreach (Thread thread in threads)
            {
                thread.Join();
            }
        }
    });

    [Fact(Timeout = 120_000)]
    public async Task Predict_From16PoolThreadsWithAFixedDegree_MatchesOneThreadBitForBit() => await Task.Run(() =>
    {
        (Network<float> network, Matrix<float>[] inputs, long[][] expected) = TrainedNetwork();
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();

        Parallel.For(0, 16, new ParallelOptions { MaxDegreeOfParallelism = 16 }, t => PredictAll(network, inputs, expected, [Small[t % 3], 3, Small[(t + 1) % 3]], $"iteration {t}", failures));

        failures.Should().BeEmpty();
    });

    /// <summary>A 16-512-16-4 MLP after a few SGD steps (wide in the middle, so intermediates are large and products cheap), seeded inputs of every batch size, and its single-threaded answers.</summary>
    private static (Network<float> Network, Matrix<float>[] Inputs, long[][] Expected) TrainedNetwork()
    {
        var random = new Random(16);
        var network = new Network<float>(
            new Linear<float>(16, 512, random, Initializer.HeNormal),
            new Relu<float>(),
            new Linear<float>(512, 16, random, Initializer.HeNormal),
            new Tanh<float>(),
            new Linear<float>(16, 4, random));
        var optimizer = new Sgd<float>(0.05, momentum: 0.9);
        var loss = new CrossEntropyLoss<float>();
        Matrix<float> x = Matrix<float>.Build.Dense(16, 32, (_, _) => (float)random.NextDouble());
        int[] labels = [.. Enumerable.Range(0, 32).Select(i => i % 4)];
        var gradient = Matrix<float>.Build.Dense(4, 32);
        for (int step = 0; step < 5; step++)
        {
            loss.Compute(network.Forward(x), labels, gradient);
            network.Backward(gradient);
            optimizer.Step(network.Parameters);
        }

        Matrix<float>[] inputs = [.. Batches.Select(n => Matrix<float>.Build.Dense(16, n, (_, _) => (float)((2 * random.NextDouble()) - 1)))];
        long[][] expected = [.. inputs.Select(input => Bits(network.Predict(input)))];
        return (network, inputs, expected);
    }

    /// <summary>Predicts the inputs at <paramref name="order"/> (indices into <see cref="Batches"/>), recording any answer that differs from one thread's.</summary>
    private static void PredictAll(
        Network<float> network, Matrix<float>[] inputs, long[][] expected, int[] order, string who, System.Collections.Concurrent.ConcurrentBag<string> failures)
    {
        foreach (int which in order)
        {
            if (!Bits(network.Predict(inputs[which])).AsSpan().SequenceEqual(expected[which]))
            {
                failures.Add($"{who}, batch {inputs[which].ColumnCount}");
            }
        }
    }

    private static long[] Bits(Matrix<float> matrix) => [.. matrix.ToColumnMajorArray().Select(v => (long)BitConverter.SingleToInt32Bits(v))];

    private static long Retained()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}

/// <summary>Tests that measure the whole process's memory run alone, so no other test's allocations are counted.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessMemoryCollection
{
    public const string Name = "Process memory";
}
