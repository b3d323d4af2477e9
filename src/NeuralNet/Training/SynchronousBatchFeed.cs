using System.Numerics;

namespace NeuralNet.Training;

/// <summary>Assembles each batch on the training thread when it is asked for, in one set of buffers.</summary>
internal sealed class SynchronousBatchFeed<T> : IBatchFeed<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly BatchAssembler<T> assembler;
    private readonly BatchBuffers<T> buffers;

    public SynchronousBatchFeed(BatchAssembler<T> assembler, BatchBuffers<T> buffers)
    {
        this.assembler = assembler;
        this.buffers = buffers;
    }

    public BatchBuffers<T> Next(int epoch, int batch)
    {
        assembler.Assemble(buffers, epoch, batch);
        return buffers;
    }

    public void Dispose()
    {
    }
}
