namespace NeuralNet.Compute;

/// <summary>
/// Persistent helper threads that split a large float32 product by columns of C. No allocation per product:
/// the job lives in static fields and the threads wait on reusable events.
/// </summary>
/// <remarks>
/// One product at a time uses the helpers; a product started while they are busy (for example concurrent
/// <c>Predict</c> calls) simply runs on its calling thread, so the result never depends on contention.
/// Splitting by columns gives every thread the same arithmetic per element, so results are bit-identical
/// whatever the thread count.
/// </remarks>
internal static unsafe class GemmWorkers
{
    private const int SpinBeforeSleeping = 2000;

    private static readonly object Gate = new();
    private static readonly ManualResetEventSlim Finished = new(false, SpinBeforeSleeping);
    private static Worker[] workers = [];
    private static int busy;
    private static int pending;
    private static GemmJob job;
    private static Exception? failure;

    /// <summary>Runs <paramref name="work"/> split into <paramref name="parts"/> column slices, or returns false if the helpers are busy.</summary>
    public static bool TryRun(in GemmJob work, int parts)
    {
        if (Interlocked.CompareExchange(ref busy, 1, 0) != 0)
        {
            return false;
        }

        try
        {
            EnsureWorkers(parts - 1);
            job = work;
            failure = null;
            Volatile.Write(ref pending, parts - 1);
            Finished.Reset();
            for (int w = 0; w < parts - 1; w++)
            {
                workers[w].Start(w + 1, parts);
            }

            job.RunPart(0, parts);
            Finished.Wait();
            if (failure is not null)
            {
                throw new InvalidOperationException("A matrix-product helper thread failed.", failure);
            }

            return true;
        }
        finally
        {
            Volatile.Write(ref busy, 0);
        }
    }

    private static void EnsureWorkers(int count)
    {
        if (workers.Length >= count)
        {
            return;
        }

        lock (Gate)
        {
            var grown = new Worker[count];
            Array.Copy(workers, grown, workers.Length);
            for (int w = workers.Length; w < count; w++)
            {
                grown[w] = new Worker(w + 1);
            }

            workers = grown;
        }
    }

    private sealed class Worker
    {
        private readonly ManualResetEventSlim signal = new(false, SpinBeforeSleeping);
        private int part;
        private int parts;

        public Worker(int number)
        {
            var thread = new Thread(Loop) { IsBackground = true, Name = $"NeuralNet GEMM {number}" };
            thread.Start();
        }

        public void Start(int index, int count)
        {
            part = index;
            parts = count;
            signal.Set();
        }

        private void Loop()
        {
            while (true)
            {
                signal.Wait();
                signal.Reset();
                try
                {
                    job.RunPart(part, parts);
                }
                catch (Exception exception)
                {
                    failure = exception;
                }

                if (Interlocked.Decrement(ref pending) == 0)
                {
                    Finished.Set();
                }
            }
        }
    }
}
