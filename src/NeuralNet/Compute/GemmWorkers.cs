namespace NeuralNet.Compute;

/// <summary>
/// Persistent helper threads that share a large float32 product with its calling thread. No allocation per product:
/// the job lives in static fields and the threads wait on reusable events.
/// </summary>
/// <remarks>
/// <para>
/// The product is cut into as many slices as threads; every participant, the calling thread included, claims slices
/// until none is left. A helper that is slow to wake (the machine is shared) therefore never holds the caller up: the
/// caller takes its slice too and waits only for slices a helper has actually started.
/// </para>
/// <para>
/// Claims are one compare-and-swap on a word holding (generation, slice count, next slice), so a helper still
/// finishing one product can never claim a slice of the next. One product at a time uses the helpers; a product
/// started while they are busy (concurrent <c>Predict</c> calls) runs on its calling thread. Slicing never changes
/// the arithmetic of an element, so results are bit-identical whatever the thread count.
/// </para>
/// </remarks>
internal static class GemmWorkers
{
    /// <summary>
    /// How long a helper stays awake after a product (0.1 ms): consecutive large products (the layers of one
    /// inference) follow within microseconds, sooner than a sleeping thread is scheduled again on a busy machine.
    /// </summary>
    private static readonly long StayAwakeTicks = System.Diagnostics.Stopwatch.Frequency / 10_000;

    private const int SliceBits = 16;
    private const int CountBits = 16;
    private const long SliceMask = (1L << SliceBits) - 1;
    private const long CountMask = (1L << CountBits) - 1;

    private static readonly object Gate = new();
    private static Worker[] workers = [];
    private static int busy;
    private static long state;
    private static int completed;
    private static GemmJob job;
    private static Exception? failure;

    /// <summary>Runs <paramref name="work"/> in <paramref name="slices"/> slices, or returns false if the helpers are busy.</summary>
    public static bool TryRun(in GemmJob work, int slices)
    {
        if (Interlocked.CompareExchange(ref busy, 1, 0) != 0)
        {
            return false;
        }

        try
        {
            EnsureWorkers(slices - 1);
            job = work;
            failure = null;
            Volatile.Write(ref completed, 0);
            long generation = ((Volatile.Read(ref state) >> (SliceBits + CountBits)) + 1) & 0xFFFFFF;
            Volatile.Write(ref state, (generation << (SliceBits + CountBits)) | ((long)slices << SliceBits));
            for (int w = 0; w < slices - 1; w++)
            {
                workers[w].Wake();
            }

            ClaimAndRun();
            var spinner = default(SpinWait);
            while (Volatile.Read(ref completed) < slices)
            {
                spinner.SpinOnce(sleep1Threshold: -1);
            }

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

    private static bool HasUnclaimedSlice()
    {
        long current = Volatile.Read(ref state);
        return (current & SliceMask) < ((current >> SliceBits) & CountMask);
    }

    /// <summary>Claims slices of the live product until none is left.</summary>
    private static void ClaimAndRun()
    {
        while (true)
        {
            long current = Volatile.Read(ref state);
            int slice = (int)(current & SliceMask);
            int slices = (int)((current >> SliceBits) & CountMask);
            if (slice >= slices)
            {
                return;
            }

            if (Interlocked.CompareExchange(ref state, current + 1, current) != current)
            {
                continue;
            }

            // The claim succeeded, so the product is live and its fields stay put until every slice completes.
            try
            {
                job.RunPart(slice, slices);
            }
            catch (Exception exception)
            {
                failure = exception;
            }

            Interlocked.Increment(ref completed);
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
        private readonly ManualResetEventSlim signal = new(false);

        public Worker(int number)
        {
            var thread = new Thread(Loop) { IsBackground = true, Name = $"NeuralNet GEMM {number}" };
            thread.Start();
        }

        public void Wake() => signal.Set();

        private void Loop()
        {
            while (true)
            {
                signal.Wait();

                // Reset before claiming: a wake-up for a newer product is then never lost.
                signal.Reset();
                ClaimAndRun();
                long until = System.Diagnostics.Stopwatch.GetTimestamp() + StayAwakeTicks;
                while (System.Diagnostics.Stopwatch.GetTimestamp() < until)
                {
                    if (HasUnclaimedSlice())
                    {
                        signal.Reset();
                        ClaimAndRun();
                        until = System.Diagnostics.Stopwatch.GetTimestamp() + StayAwakeTicks;
                    }
                    else
                    {
                        Thread.SpinWait(20);
                    }
                }
            }
        }
    }
}
