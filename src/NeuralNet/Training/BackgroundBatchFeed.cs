using System.Numerics;
using System.Runtime.ExceptionServices;

namespace NeuralNet.Training;

/// <summary>
/// Double buffering: a dedicated thread assembles batch <c>k + 1</c> (reading and augmenting it) while batch <c>k</c>
/// trains. The batches, their order and their random bits are those of <see cref="SynchronousBatchFeed{T}"/>, so the
/// trained weights are bit-identical; only the thread that fills the buffers differs.
/// </summary>
/// <remarks>
/// <para>
/// Batch <c>m</c> goes into buffers <c>m mod 2</c>, which are free once the trainer has asked for batch <c>m − 1</c>
/// (it is then done with <c>m − 2</c>). The batch thread therefore runs at most one batch ahead and allocates nothing
/// per batch.
/// </para>
/// <para>
/// One batch is assembled at a time, in order, by whichever thread claims it first: when the trainer asks for a batch
/// that the batch thread has not started (a step shorter than the thread's wake-up), it assembles it itself instead
/// of waiting, so a tiny network is not slowed down by the hand-off. Assembling strictly in order keeps the shuffle,
/// which is replayed forward, consistent. An exception on the batch thread is rethrown, unchanged, by the
/// <see cref="Next"/> that needs its batch; <see cref="Dispose"/> stops and joins the thread (it finishes the batch it
/// is assembling).
/// </para>
/// </remarks>
internal sealed class BackgroundBatchFeed<T> : IBatchFeed<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly BatchAssembler<T> assembler;
    private readonly BatchBuffers<T>[] buffers;
    private readonly int firstEpoch;
    private readonly int batchesPerEpoch;
    private readonly long total;
    private readonly CancellationToken cancellationToken;
    private readonly CancellationTokenRegistration registration;
    private readonly object gate = new();
    private readonly Thread thread;
    private long produced;
    private long requested;
    private long nextToAssemble;
    private bool assembling;
    private bool stopping;
    private ExceptionDispatchInfo? failure;

    /// <param name="assembler">Makes the batches.</param>
    /// <param name="first">Buffers for the even batches of the run.</param>
    /// <param name="second">Buffers for the odd batches.</param>
    /// <param name="firstEpoch">The first epoch to assemble.</param>
    /// <param name="lastEpoch">The last epoch to assemble.</param>
    /// <param name="batchesPerEpoch">Batches in every epoch.</param>
    /// <param name="cancellationToken">Ends a wait in <see cref="Next"/> with <see cref="OperationCanceledException"/>.</param>
    public BackgroundBatchFeed(
        BatchAssembler<T> assembler, BatchBuffers<T> first, BatchBuffers<T> second, int firstEpoch, int lastEpoch, int batchesPerEpoch, CancellationToken cancellationToken)
    {
        this.assembler = assembler;
        buffers = [first, second];
        this.firstEpoch = firstEpoch;
        this.batchesPerEpoch = batchesPerEpoch;
        total = Math.Max(0, (long)lastEpoch - firstEpoch + 1) * batchesPerEpoch;
        this.cancellationToken = cancellationToken;
        registration = cancellationToken.UnsafeRegister(static feed => ((BackgroundBatchFeed<T>)feed!).Wake(), this);
        thread = new Thread(Produce) { IsBackground = true, Name = "NeuralNet batch assembly" };
        thread.Start();
    }

    public BatchBuffers<T> Next(int epoch, int batch)
    {
        long sequence = ((long)(epoch - firstEpoch) * batchesPerEpoch) + batch - 1;
        bool claimed = false;
        lock (gate)
        {
            requested = sequence + 1;
            Monitor.PulseAll(gate);
            while (produced <= sequence)
            {
                failure?.Throw();
                cancellationToken.ThrowIfCancellationRequested();
                if (!assembling && nextToAssemble == sequence)
                {
                    assembling = true;
                    nextToAssemble++;
                    claimed = true;
                    break;
                }

                Monitor.Wait(gate);
            }
        }

        if (claimed)
        {
            Assemble(sequence);
        }

        return buffers[sequence & 1];
    }

    public void Dispose()
    {
        lock (gate)
        {
            stopping = true;
            Monitor.PulseAll(gate);
        }

        registration.Dispose();
        thread.Join();
    }

    private void Produce()
    {
        try
        {
            while (true)
            {
                long sequence;
                lock (gate)
                {
                    // Wait for a batch to make: none in progress, one left, and its buffers free.
                    while (!stopping && (assembling || nextToAssemble >= total || (nextToAssemble >= 2 && requested < nextToAssemble)))
                    {
                        Monitor.Wait(gate);
                    }

                    if (stopping)
                    {
                        return;
                    }

                    assembling = true;
                    sequence = nextToAssemble++;
                }

                Assemble(sequence);
            }
        }
#pragma warning disable CA1031 // Any failure belongs to the training thread, which rethrows it where the batch is needed.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            lock (gate)
            {
                failure = ExceptionDispatchInfo.Capture(exception);
                Monitor.PulseAll(gate);
            }
        }
    }

    /// <summary>Assembles the claimed batch <paramref name="sequence"/> on this thread, then hands the claim back.</summary>
    private void Assemble(long sequence)
    {
        bool done = false;
        try
        {
            assembler.Assemble(buffers[sequence & 1], firstEpoch + (int)(sequence / batchesPerEpoch), (int)(sequence % batchesPerEpoch) + 1);
            done = true;
        }
        finally
        {
            lock (gate)
            {
                assembling = false;
                if (done)
                {
                    produced = sequence + 1;
                }

                Monitor.PulseAll(gate);
            }
        }
    }

    private void Wake()
    {
        lock (gate)
        {
            Monitor.PulseAll(gate);
        }
    }
}
