using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using NeuralNet.Compute;
using NeuralNet.Compute.Convolution;

namespace NeuralNet.Layers;

/// <summary>
/// The direct path for few taps per output (a first layer's <c>1·3·3 = 9</c>): blocks of samples are im2col'ed into a
/// tap-major buffer and <see cref="SmallTapKernels"/> computes the outputs and the weight gradient from it with the
/// accumulators in registers; the blocks run on <see cref="BlockWorkers"/>. float32 on the vector paths only (the
/// portable path and float64 take im2col + GEMM), and only when no input gradient is needed (the first layer trains
/// through <c>BackwardParameters</c>).
/// </summary>
public sealed partial class Conv2d<T>
{
    /// <summary>The most taps per output (<c>C_in/groups·k_h·k_w</c>) the direct path takes.</summary>
    internal const int SmallTapLimit = 32;

    /// <summary>Positions one block of samples should have at least.</summary>
    internal const int SmallTapBlockPositions = 2048;

    private readonly SmallTapJob trainingJob = new();
    private T[] smallTapColumns = [];
    private T[] smallTapPartials = [];

    [ThreadStatic]
    private static SmallTapJob? predictJob;

    /// <summary>Whether this layer takes the direct path on the calling thread's compute path.</summary>
    internal bool UsesSmallTaps =>
        typeof(T) == typeof(float) && !pointwise && tapCount <= SmallTapLimit && SmallTapKernels.Supports(ComputeSettings.ActivePath, Positions);

    /// <summary>Samples per block of the direct path: depends on the shapes only, never on the thread count.</summary>
    internal int SmallTapSamplesPerBlock(int batch) => Math.Clamp((SmallTapBlockPositions + Positions - 1) / Positions, 1, batch);

    private int SmallTapColumnLength(int batch) => checked(tapCount * SmallTapSamplesPerBlock(batch) * Positions);

    /// <summary>Forward on the direct path; the training job reuses the layer's buffers.</summary>
    private void SmallTapForward(T[] x, T[] y, int batch)
    {
        int blocks = (batch + SmallTapSamplesPerBlock(batch) - 1) / SmallTapSamplesPerBlock(batch);
        int workers = BlockWorkers.Workers(blocks);
        int length = SmallTapColumnLength(batch);
        Grow(ref smallTapColumns, checked(workers * length));
        trainingJob.Start(this, x, y, batch, smallTapColumns, length, null);
        BlockWorkers.Run(trainingJob, blocks, workers);
        trainingJob.Clear();
    }

    /// <summary>Stateless forward on the direct path, with rented scratch.</summary>
    private void SmallTapPredict(T[] x, T[] y, int batch)
    {
        int blocks = (batch + SmallTapSamplesPerBlock(batch) - 1) / SmallTapSamplesPerBlock(batch);
        int workers = BlockWorkers.Workers(blocks);
        int length = SmallTapColumnLength(batch);
        T[] columns = ArrayPool<T>.Shared.Rent(checked(workers * length));
        SmallTapJob job = predictJob ??= new SmallTapJob();
        try
        {
            job.Start(this, x, y, batch, columns, length, null);
            BlockWorkers.Run(job, blocks, workers);
        }
        finally
        {
            job.Clear();
            ArrayPool<T>.Shared.Return(columns);
        }
    }

    /// <summary>Weight gradient on the direct path: one partial sum per block, then the partials added in block order.</summary>
    private void SmallTapWeightGradient(T[] x, T[] dy, int batch)
    {
        int perBlock = SmallTapSamplesPerBlock(batch);
        int blocks = (batch + perBlock - 1) / perBlock;
        int workers = BlockWorkers.Workers(blocks);
        int length = SmallTapColumnLength(batch);
        int weights = weight.Length;
        Grow(ref smallTapColumns, checked(workers * length));
        Grow(ref smallTapPartials, checked(blocks * weights));
        trainingJob.Start(this, x, dy, batch, smallTapColumns, length, smallTapPartials);
        BlockWorkers.Run(trainingJob, blocks, workers);
        trainingJob.Clear();

        Span<T> dw = weight.GradientSpan;
        smallTapPartials.AsSpan(0, weights).CopyTo(dw);
        for (int block = 1; block < blocks; block++)
        {
            TensorPrimitives.Add(dw, smallTapPartials.AsSpan(block * weights, weights), dw);
        }
    }

    /// <summary>One block of samples: im2col per group, then the outputs (no partials given) or the block's weight gradient.</summary>
    private unsafe void RunSmallTapBlock(SmallTapJob job, int block, int worker)
    {
        int perBlock = SmallTapSamplesPerBlock(job.Batch);
        int first = block * perBlock;
        int samples = Math.Min(perBlock, job.Batch - first);
        int positions = Positions;
        int rows = samples * positions;
        int inputSize = InputSize;
        int outputSize = OutChannels * positions;
        int planeSize = inputHeight * inputWidth;
        Span<T> columns = job.Columns.AsSpan(worker * job.ColumnLength, job.ColumnLength);
        fixed (T* pc = columns, px = job.Input, pw = weight.ValueSpan, pd = job.Output)
        fixed (T* pb = bias is null ? [] : bias.ValueSpan)
        fixed (T* pp = job.Partials)
        {
            float* cols = (float*)pc, w = (float*)pw, data = (float*)pd;
            float* b = bias is null ? null : (float*)pb;
            for (int g = 0; g < Groups; g++)
            {
                for (int s = 0; s < samples; s++)
                {
                    Im2Col(job.Input.AsSpan(((first + s) * inputSize) + (g * groupInputs * planeSize), groupInputs * planeSize), columns, rows, s * positions);
                }

                float* wg = w + ((nint)g * groupOutputs * tapCount);
                if (job.Partials is null)
                {
                    for (int s = 0; s < samples; s++)
                    {
                        SmallTapKernels.Forward(
                            job.Path, cols + ((nint)s * positions), rows, wg, tapCount, groupOutputs, b == null ? null : b + (g * groupOutputs),
                            data + ((nint)(first + s) * outputSize) + ((nint)g * groupOutputs * positions), positions);
                    }
                }
                else
                {
                    float* partial = (float*)pp + ((nint)block * weight.Length) + ((nint)g * groupOutputs * tapCount);
                    SmallTapKernels.WeightGradient(
                        job.Path, cols, rows, data + ((nint)first * outputSize) + ((nint)g * groupOutputs * positions), outputSize, samples, positions, tapCount, groupOutputs, partial);
                }
            }
        }
    }

    /// <summary>The arguments of one direct-path call, handed to the block workers without allocating.</summary>
    private sealed class SmallTapJob : IBlockJob
    {
        public Conv2d<T> Layer { get; private set; } = null!;

        public T[] Input { get; private set; } = [];

        /// <summary>The output (forward) or the output gradient (weight gradient).</summary>
        public T[] Output { get; private set; } = [];

        public int Batch { get; private set; }

        public T[] Columns { get; private set; } = [];

        public int ColumnLength { get; private set; }

        /// <summary>Per-block weight-gradient sums, or null for a forward pass.</summary>
        public T[]? Partials { get; private set; }

        /// <summary>The calling thread's compute path, which the helpers follow.</summary>
        public GemmPath Path { get; private set; }

        public void Start(Conv2d<T> layer, T[] input, T[] output, int batch, T[] columns, int columnLength, T[]? partials)
        {
            Layer = layer;
            Input = input;
            Output = output;
            Batch = batch;
            Columns = columns;
            ColumnLength = columnLength;
            Partials = partials;
            Path = ComputeSettings.ActivePath;
        }

        /// <summary>Drops the references to the caller's arrays.</summary>
        public void Clear()
        {
            Layer = null!;
            Input = [];
            Output = [];
            Columns = [];
            Partials = null;
        }

        public void RunBlock(int block, int worker) => Layer.RunSmallTapBlock(this, block, worker);
    }
}
