namespace NeuralNet.Compute.Convolution;

/// <summary>
/// Persistent helper threads that share the blocks of an <see cref="IBlockJob"/> with the calling thread, without
/// allocating per job. Which thread runs a block never changes what the block computes, so results are bit-identical
/// for any thread count.
/// </summary>
/// <remarks>
/// Claims are one compare-and-swap on a word holding (generation, block count, next block), so a helper that wakes late
/// can never claim a block of the next job. One job at a time uses the helpers; a job started while they are busy (for
/// instance concurrent <c>Predict</c> calls) runs on its calling thread.
/// </remarks>
internal static class BlockWorkers
{
    /// <summary>How long a helper spins after a job (0.1 ms), since the next layer's job follows within microseconds.</summary>
    private static readonly long StayAwakeTicks = System.Diagnostics.Stopwatch.Frequency / 10_000;

    private const int Bits = 20;
    private const long Mask = (1L << Bits) - 1;

    private static readonly object Gate = new();
    private static Helper[] helpers = [];
    private static int busy;
    private static long state;
    private static int completed;
    private static int activeWorkers;
    private static IBlockJob? current;
    private static Exception? failure;

    /// <summary>The most blocks one job may have.</summary>
    public const int MaxBlocks = (1 << Bits) - 1;

    /// <summary>How many workers (the caller included) a job of <paramref name="blocks"/> blocks may use: at most <see cref="ComputeInfo.MaxThreads"/>.</summary>
    public static int Workers(int blocks) => Math.Max(1, Math.Min(ComputeInfo.MaxThreads, blocks));

    /// <summary>Runs all blocks of <paramref name="job"/> on up to <paramref name="workers"/> threads and returns when they are done.</summary>
    public static void Run(IBlockJob job, int blocks, int workers)
    {
        if (blocks > MaxBlocks)
        {
            throw new ArgumentOutOfRangeException(nameof(blocks), blocks, $"A job may have at most {MaxBlocks} blocks.");
        }

        if (workers < 2 || blocks < 2 || Interlocked.CompareExchange(ref busy, 1, 0) != 0)
        {
            for (int block = 0; block < blocks; block++)
            {
                job.RunBlock(block, 0);
            }

            return;
        }

        try
        {
            EnsureHelpers(workers - 1);
            current = job;
            activeWorkers = workers;
            failure = null;
            Volatile.Write(ref completed, 0);
            long generation = ((Volatile.Read(ref state) >> (2 * Bits)) + 1) & 0xFFFFFF;
            Volatile.Write(ref state, (generation << (2 * Bits)) | ((long)blocks << Bits));
            for (int h = 0; h < workers - 1; h++)
            {
                helpers[h].Wake();
            }

            ClaimAndRun(0);
            var spinner = default(SpinWait);
            while (Volatile.Read(ref completed) < blocks)
            {
                spinner.SpinOnce(sleep1Threshold: -1);
            }

            current = null;
            if (failure is not null)
            {
                throw new InvalidOperationException("A convolution helper thread failed.", failure);
            }
        }
        finally
        {
            Volatile.Write(ref busy, 0);
        }
    }

    private static bool HasUnclaimedBlock()
    {
        long s = Volatile.Read(ref state);
        return (s & Mask) < ((s >> Bits) & Mask);
    }

    private static void ClaimAndRun(int worker)
    {
        while (true)
        {
            long s = Volatile.Read(ref state);
            int block = (int)(s & Mask);
            int blocks = (int)((s >> Bits) & Mask);

            // A helper beyond this job's worker count (still awake from a job that allowed more) stays out: the job
            // has scratch for its own workers only.
            if (block >= blocks || worker >= Volatile.Read(ref activeWorkers))
            {
                return;
            }

            if (Interlocked.CompareExchange(ref state, s + 1, s) != s)
            {
                continue;
            }

            // The claim succeeded, so this job is live and its fields stay put until every block completes.
            try
            {
                current!.RunBlock(block, worker);
            }
            catch (Exception exception)
            {
                failure = exception;
            }

            Interlocked.Increment(ref completed);
        }
    }

    private static void EnsureHelpers(int count)
    {
        if (helpers.Length >= count)
        {
            return;
        }

        lock (Gate)
        {
            var grown = new Helper[count];
            Array.Copy(helpers, grown, helpers.Length);
            for (int h = helpers.Length; h < count; h++)
            {
                grown[h] = new Helper(h + 1);
            }

            helpers = grown;
        }
    }

    private sealed class Helper
    {
        private readonly ManualResetEventSlim signal = new(false);
        private readonly int worker;

        public Helper(int worker)
        {
            this.worker = worker;
            var thread = new Thread(Loop) { IsBackground = true, Name = $"NeuralNet convolution {worker}" };
            thread.Start();
        }

        public void Wake() => signal.Set();

        private void Loop()
        {
            while (true)
            {
                signal.Wait();
                signal.Reset();
                ClaimAndRun(worker);
                long until = System.Diagnostics.Stopwatch.GetTimestamp() + StayAwakeTicks;
                while (System.Diagnostics.Stopwatch.GetTimestamp() < until)
                {
                    if (HasUnclaimedBlock())
                    {
                        signal.Reset();
                        ClaimAndRun(worker);
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
