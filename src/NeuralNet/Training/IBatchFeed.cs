using System.Numerics;

namespace NeuralNet.Training;

/// <summary>Hands the training loop its batches in order: assembled on demand, or ahead of time on another thread.</summary>
internal interface IBatchFeed<T> : IDisposable
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>
    /// Batch <paramref name="batch"/> (from 1) of <paramref name="epoch"/>, the one after the previous call's. Its buffers
    /// stay valid until the next call; the previous batch's buffers may be reused from this call on.
    /// </summary>
    BatchBuffers<T> Next(int epoch, int batch);
}
