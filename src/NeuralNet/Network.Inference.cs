using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Compute;
using NeuralNet.Layers;

namespace NeuralNet;

/// <content>
/// The inference loop behind every <c>Predict</c>: layers in order through per-thread scratch, a following ReLU handed
/// to the layer in front of it, and a large batch run in chunks of columns so its intermediates stay in the cached
/// scratch (and in the caches) instead of being allocated per call.
/// </content>
public sealed partial class Network<T>
{
    /// <summary>
    /// The fewest columns a chunk has: wider than the matrix-vector shortcut of the product (<c>SkinnyGemm.MaxColumns</c>),
    /// so a chunk's products take the same kernels, and sum each column in the same order, as the whole batch's.
    /// </summary>
    internal const int MinChunkColumns = 8;

    /// <summary>Columns per chunk of a large batch (see <see cref="ChunkColumns"/>); <see cref="int.MaxValue"/> when the shapes are unknown.</summary>
    private readonly int chunkColumns;

    [ThreadStatic]
    private static int? forcedChunkColumns;

    /// <summary>Tests force the chunk width on the calling thread; <see langword="null"/> for the automatic choice.</summary>
    internal static int? ForcedChunkColumns
    {
        get => forcedChunkColumns;
        set => forcedChunkColumns = value;
    }

    /// <summary>The chunk width in effect on the calling thread.</summary>
    internal int ChunkWidth => ForcedChunkColumns ?? chunkColumns;

    /// <summary>
    /// Columns per chunk: as many as keep the largest per-sample intermediate (or the input) within
    /// <see cref="PredictScratch.MaxCachedElements"/>, at least <see cref="MinChunkColumns"/>. Depends on the shapes only.
    /// </summary>
    private static int ChunkColumns(Shape[]? shapes)
    {
        if (shapes is null)
        {
            return int.MaxValue;
        }

        int largest = shapes.Max(s => s.Size);
        return Math.Max(MinChunkColumns, PredictScratch.MaxCachedElements / Math.Max(largest, 1));
    }

    /// <summary>The inference loop of <see cref="Predict(Matrix{T})"/> on a checked input.</summary>
    /// <param name="input">A <c>features × batch</c> matrix; never written.</param>
    /// <param name="scratchResult">
    /// Write the result into this thread's scratch instead of a new matrix: no allocation in steady state, but the
    /// result is valid only until this thread's next prediction (the batch-first single-sample entry points).
    /// </param>
    /// <remarks>
    /// A batch wider than a chunk runs chunk by chunk, each chunk's columns copied into scratch and its outputs copied
    /// into the result; the last chunk ends at the last column (overlapping the one before, whose columns it computes
    /// again), so every chunk has the same width and the scratch the same shapes. At inference every layer computes
    /// each column from that column alone, by the same operations whatever the batch width, so the result is bit for
    /// bit the unchunked one.
    /// </remarks>
    private Matrix<T> PredictCore(Matrix<T> input, bool scratchResult)
    {
        int batch = input.ColumnCount;
        int chunk = ChunkWidth;
        if (scratchResult || batch <= chunk || shapes is null || input.RowCount != shapes[0].Size)
        {
            return PredictLayers(input, scratchResult ? ResultKind.Scratch : ResultKind.New);
        }

        int inputRows = input.RowCount;
        int outputRows = shapes[^1].Size;
        Matrix<T> result = Matrix<T>.Build.Dense(outputRows, batch);
        T[] x = DenseStorage.Of(input, nameof(input));
        T[] y = DenseStorage.Of(result, nameof(result));
        for (int first = 0; first < batch; first += chunk)
        {
            int start = Math.Min(first, batch - chunk);

            // The first layer reads slot 1 and writes slot 0, as it would read the caller's input.
            Matrix<T> part = PredictScratch.Get(1, inputRows, chunk);
            x.AsSpan(start * inputRows, chunk * inputRows).CopyTo(DenseStorage.Of(part, nameof(part)));
            Matrix<T> output = PredictLayers(part, ResultKind.ChunkScratch);
            DenseStorage.Of(output, nameof(output)).AsSpan(0, chunk * outputRows).CopyTo(y.AsSpan(start * outputRows));
        }

        return result;
    }

    /// <summary>Runs the layers on <paramref name="input"/>, the result written where <paramref name="resultKind"/> says.</summary>
    private Matrix<T> PredictLayers(Matrix<T> input, ResultKind resultKind)
    {
        var outputs = new ScratchOutputs(resultKind);
        return InferencePass.Run(layers, shapes, input, ref outputs);
    }

    /// <summary>Intermediates in this thread's two alternating scratch slots; the last output where the result kind says.</summary>
    private readonly struct ScratchOutputs(ResultKind resultKind) : IInferenceOutputs<T>
    {
        public Matrix<T> Get(int step, int rows, int columns, bool last) => !last ? PredictScratch.Get(step & 1, rows, columns)
            : resultKind switch
            {
                ResultKind.New => Matrix<T>.Build.Dense(rows, columns),
                ResultKind.Scratch => PredictScratch.Get(step & 1, rows, columns),
                _ => PredictScratch.GetChunkOutput(rows, columns),
            };
    }

    /// <summary>Where <see cref="PredictLayers"/> writes the last layer's output.</summary>
    private enum ResultKind
    {
        /// <summary>A new matrix, the caller's.</summary>
        New,

        /// <summary>This thread's scratch, valid until its next prediction.</summary>
        Scratch,

        /// <summary>This thread's chunk-output scratch, copied into the result before the next chunk.</summary>
        ChunkScratch,
    }

    /// <summary>
    /// Per-thread intermediate activations of <see cref="Predict(Matrix{T})"/>, so inference allocates only its result
    /// (and any intermediate above <see cref="MaxCachedElements"/>).
    /// Two slots used alternately: a layer never reads and writes the same scratch matrix.
    /// </summary>
    /// <remarks>
    /// A thread keeps at most <see cref="MatrixCache{T}.Capacity"/> matrices per slot, each of at most
    /// <see cref="MaxCachedElements"/> elements (6 MiB of float, 12 MiB of double), and as many chunk outputs (a
    /// network's outputs × a chunk's columns, within the same limit), for as long as it lives; an intermediate larger
    /// than that is allocated for the call and left to the collector, so one huge sample does not pin its intermediates
    /// to a pool thread for good. An ended thread's scratch is collected with it.
    /// </remarks>
    private static class PredictScratch
    {
        /// <summary>The largest intermediate kept between calls: 2¹⁸ elements (a 256-feature layer at batch 1,024).</summary>
        public const int MaxCachedElements = 1 << 18;

        [ThreadStatic]
        private static MatrixCache<T>[]? slots;

        public static Matrix<T> Get(int slot, int rows, int columns)
        {
            if ((long)rows * columns > MaxCachedElements)
            {
                return Matrix<T>.Build.Dense(rows, columns);
            }

            slots ??= [new MatrixCache<T>(), new MatrixCache<T>(), new MatrixCache<T>()];
            return slots[slot].Get(rows, columns);
        }

        /// <summary>The last layer's output for one chunk, in a cache of its own so it takes no place of an intermediate's.</summary>
        public static Matrix<T> GetChunkOutput(int rows, int columns) => Get(2, rows, columns);
    }
}
