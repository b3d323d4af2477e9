using System.Numerics;
using System.Runtime.ExceptionServices;

namespace NeuralNet.Training;

/// <summary>
/// Double buffering: a dedicated thread assembles batch <c>k + 1</c> (reading and augmenting it) while batch <c>k</c>
/// trains. The batches, their order and their random bits are those of <see cref="SynchronousBatchFeed{T}"/>, so the
/// trained weights are bit-identical; only the thread that fills the buffers differs.
/// </summary>
/// <remarks>
/// Batch <c>m</c> goes into buffers <c>m mod 2</c>, which are free once the trainer has asked for batch <c>m − 1</c>
/// (it is then done with <c>m − 2</c>). The producer therefore runs at most one batch ahead and allocates nothing per
/// batch. An exception on the producer is rethrown, unchanged, by the <see cref="Next"/> that needs its batch;
/// <see cref="Dispose"/> stops and joins the thread (it finishes the batch it is assembling).
/// </remarks>
internal sealed class BackgroundBatchFeed<T> : IBatchFeed<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly BatchAssembler<T> assembler;
    private readonly BatchBuffers<T>[] buffers;
    private readonly int firstEpoch;
    private readonly int lastEpoch;
    private readonly int batchesPerEpoch;
    private readonly CancellationToken cancellationToken;
    private readonly CancellationTokenRegistration registration;
    private readonly object gate = new();
    private readonly Thread thread;
    private long produced;
    private long requested;
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
        this.lastEpoch = lastEpoch;
        this.batchesPerEpoch = batchesPerEpoch;
        this.cancellationToken = cancellationToken;
        registration = cancellationToken.UnsafeRegister(static feed => ((BackgroundBatchFeed<T>)feed!).Wake(), this);
        thread = new Thread(Produce) { IsBackground = true, Name = "NeuralNet batch assembly" };
        thread.Start();
    }

    public BatchBuffers<T> Next(int epoch, int batch)
    {
        long sequence = ((long)(epoch - firstEpoch) * batchesPerEpoch) + batch - 1;
        lock (gate)
        {
            requested = sequence + 1;
            Monitor.PulseAll(gate);
            while (produced <= sequence)
            {
                failure?.Throw();
                cancellationToken.ThrowIfCancellationRequested();
                Monitor.Wait(gate);
            }
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
            long sequence = 0;
            for (int epoch = firstEpoch; epoch <= lastEpoch; epoch++)
            {
                for (int batch = 1; batch <= batchesPerEpoch; batch++, sequence++)
                {
                    lock (gate)
                    {
                        while (!stopping && sequence >= 2 && requested < sequence)
                        {
                            Monitor.Wait(gate);
                        }

                        if (stopping)
                        {
                            return;
                        }
                    }

                    assembler.Assemble(buffers[sequence & 1], epoch, batch);
                    lock (gate)
                    {
                        produced = sequence + 1;
                        Monitor.PulseAll(gate);
                    }
                }
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

    private void Wake()
    {
        lock (gate)
        {
            Monitor.PulseAll(gate);
        }
    }
}
