using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using NeuralNet.Compute;
using NeuralNet.Compute.Convolution;

namespace NeuralNet.Layers;

/// <summary>
/// The direct path (float32 on the vector paths; the portable path and float64 take im2col + GEMM): blocks of samples
/// are im2col'ed into a tap-major buffer and <see cref="DirectKernels"/> writes the output planes from it in place
/// (no copy of a product into the output); the input gradient is <c>Wᵀ·∂Y</c> per sample by the same kernel, scattered
/// back by col2im; the weight gradient is computed directly for few taps per output (a first layer's 9) and by the GEMM
/// otherwise. Blocks run on <see cref="BlockWorkers"/>; each block writes only its own samples (or its own partial
/// weight gradient, added in block order), so results do not depend on the thread count.
/// </summary>
public sealed partial class Conv2d<T>
{
    /// <summary>The most taps per output (<c>C_in/groups·k_h·k_w</c>) whose weight gradient the direct kernels compute.</summary>
    internal const int SmallTapLimit = 32;

    /// <summary>Positions one block of samples should have at least.</summary>
    internal const int BlockPositions = 2048;

    /// <summary>The most elements a block's columns should have (512 KiB of float, within the L2 cache).</summary>
    internal const long BlockElements = 128 * 1024;

    /// <summary>The largest im2col block of one sample (taps × positions) the direct path takes: 1 MiB of float.</summary>
    internal const long DirectSampleElements = 256 * 1024;

    [ThreadStatic]
    private static bool? forcedDirect;

    [ThreadStatic]
    private static DirectJob? predictJob;

    private readonly DirectJob trainingJob = new();
    private T[] directColumns = [];
    private T[] directPartials = [];
    private T[] transposedWeights = [];
    private int[] directOffsets = [];

    private enum DirectWork
    {
        Forward,
        WeightGradient,
        InputGradient,
    }

    /// <summary>Tests and benchmarks force (true) or forbid (false) the direct path on the calling thread where it can run; null chooses by size.</summary>
    internal static bool? ForcedDirect
    {
        get => forcedDirect;
        set => forcedDirect = value;
    }

    [ThreadStatic]
    private static bool? forcedDirectWeightGradient;

    /// <summary>
    /// Tests and benchmarks ask (true) for the direct weight gradient of more than <see cref="SmallTapLimit"/> taps on the
    /// calling thread (stride 1, implicit form); by default such layers take the GEMM, which measured faster (issue 10).
    /// </summary>
    internal static bool? ForcedDirectWeightGradient
    {
        get => forcedDirectWeightGradient;
        set => forcedDirectWeightGradient = value;
    }

    /// <summary>Whether this layer takes the direct path on the calling thread's compute path.</summary>
    internal bool UsesDirect =>
        typeof(T) == typeof(float) && !pointwise && DirectKernels.Supports(ComputeSettings.ActivePath, Positions)
        && (ForcedDirect ?? (long)tapCount * Positions <= DirectSampleElements);

    /// <summary>Samples per block of the direct path: depends on the shapes only, never on the thread count.</summary>
    internal int DirectSamplesPerBlock(int batch)
    {
        // About BlockPositions positions, but a block's columns (taps × positions) within BlockElements.
        int samples = Math.Min((BlockPositions + Positions - 1) / Positions, (int)Math.Min(int.MaxValue, BlockElements / ((long)tapCount * Positions)));
        return Math.Clamp(samples, 1, batch);
    }

    /// <summary>A worker's scratch: a block's columns (taps × block positions), at least one sample's column gradients.</summary>
    private int DirectScratchLength(int batch) => checked((int)(DirectSamplesPerBlock(batch) * Math.Max((long)tapCount * Positions, PaddedScratchLength())));

    /// <summary>A worker's tap offsets for the im2col buffer or ∂Y's planes.</summary>
    private int OffsetLength => Math.Max(tapCount, groupOutputs);

    private int DirectBlocks(int batch) => (batch + DirectSamplesPerBlock(batch) - 1) / DirectSamplesPerBlock(batch);

    /// <summary>
    /// Parts the output channels of a forward block are cut into, so a batch of one or a few samples still has work for
    /// several threads: up to 4 blocks in all, each part at least 8 channels of a group. An output element is computed
    /// by the same operations in any part, so the cut never changes a bit.
    /// </summary>
    private int ChannelParts(int batch) => Math.Clamp(Math.Min(4 / DirectBlocks(batch), groupOutputs / 8), 1, 4);

    /// <summary>Forward on the direct path with the layer's buffers.</summary>
    private void DirectForward(T[] x, T[] y, int batch) => RunTraining(DirectWork.Forward, x, y, null, batch);

    /// <summary>Stateless forward on the direct path, with rented scratch; <c>max(·, 0)</c> stored with <paramref name="relu"/>.</summary>
    private void DirectPredict(T[] x, T[] y, int batch, bool relu)
    {
        int blocks = DirectBlocks(batch) * ChannelParts(batch);
        int workers = BlockWorkers.Workers(blocks);
        int length = DirectScratchLength(batch);
        T[] columns = ArrayPool<T>.Shared.Rent(checked(workers * length));
        int[] offsets = ArrayPool<int>.Shared.Rent(workers * OffsetLength);
        DirectJob job = predictJob ??= new DirectJob();
        try
        {
            job.Start(this, DirectWork.Forward, x, y, null, batch, columns, length, offsets, null, null, relu);
            BlockWorkers.Run(job, blocks, workers);
        }
        finally
        {
            job.Clear();
            ArrayPool<T>.Shared.Return(columns);
            ArrayPool<int>.Shared.Return(offsets);
        }
    }

    /// <summary>Weight gradient for few taps: one partial sum per block, then the partials added in block order.</summary>
    private void DirectWeightGradient(T[] x, T[] dy, int batch)
    {
        int blocks = DirectBlocks(batch);
        int weights = weight.Length;
        Grow(ref directPartials, checked(blocks * weights));
        RunTraining(DirectWork.WeightGradient, x, dy, null, batch);
        Span<T> dw = weight.GradientSpan;
        directPartials.AsSpan(0, weights).CopyTo(dw);
        for (int block = 1; block < blocks; block++)
        {
            TensorPrimitives.Add(dw, directPartials.AsSpan(block * weights, weights), dw);
        }
    }

    /// <summary>∂X = col2im(Wᵀ·∂Y) per sample, with the weights transposed once (tap-major per group) for the kernel.</summary>
    private void DirectInputGradient(T[] dy, T[] dx, int batch)
    {
        Grow(ref transposedWeights, weight.Length);
        ReadOnlySpan<T> w = weight.ValueSpan;
        (int kh, int kw) = KernelSize.ToValueTuple();
        bool flipped = PaddedBackward(ComputeSettings.ActivePath);
        for (int g = 0; g < Groups; g++)
        {
            int offset = g * groupOutputs * tapCount;
            for (int o = 0; o < groupOutputs; o++)
            {
                for (int k = 0; k < tapCount; k++)
                {
                    // Tap k = (c·k_h + i)·k_w + j. Transposed: [k][o]; flipped: [c][o][k_h − 1 − i][k_w − 1 − j].
                    int c = k / (kh * kw), i = k / kw % kh, j = k % kw;
                    int target = flipped
                        ? (((((c * groupOutputs) + o) * kh) + (kh - 1 - i)) * kw) + (kw - 1 - j)
                        : (k * groupOutputs) + o;
                    transposedWeights[offset + target] = w[offset + (o * tapCount) + k];
                }
            }
        }

        RunTraining(DirectWork.InputGradient, null, dy, dx, batch);
    }

    private void RunTraining(DirectWork work, T[]? x, T[] data, T[]? dx, int batch)
    {
        int blocks = DirectBlocks(batch) * (work == DirectWork.Forward ? ChannelParts(batch) : 1);
        int workers = BlockWorkers.Workers(blocks);
        int length = DirectScratchLength(batch);
        Grow(ref directColumns, checked(workers * length));
        if (directOffsets.Length < workers * OffsetLength)
        {
            directOffsets = new int[workers * OffsetLength];
        }

        trainingJob.Start(this, work, x, data, dx, batch, directColumns, length, directOffsets, work == DirectWork.WeightGradient ? directPartials : null, transposedWeights);
        try
        {
            BlockWorkers.Run(trainingJob, blocks, workers);
        }
        finally
        {
            trainingJob.Clear();
        }
    }

    /// <summary>One block of samples: the outputs, the block's weight gradient, or the samples' input gradients.</summary>
    private unsafe void RunDirectBlock(DirectJob job, int block, int worker)
    {
        int parts = job.Work == DirectWork.Forward ? ChannelParts(job.Batch) : 1;
        int part = block % parts;
        block /= parts;
        int partOutputs = (((groupOutputs + parts - 1) / parts) + 7) / 8 * 8;
        int firstOutput = Math.Min(part * partOutputs, groupOutputs);
        int outputCount = Math.Min(partOutputs, groupOutputs - firstOutput);
        int perBlock = DirectSamplesPerBlock(job.Batch);
        int first = block * perBlock;
        int samples = Math.Min(perBlock, job.Batch - first);
        int positions = Positions;
        int rows = samples * positions;
        int inputSize = InputSize;
        int outputSize = OutChannels * positions;
        int planeSize = inputHeight * inputWidth;
        Span<T> columns = job.Columns.AsSpan(worker * job.ColumnLength, job.ColumnLength);
        Span<int> offsetSpan = job.Offsets.AsSpan(worker * OffsetLength, OffsetLength);
        bool padded = job.Work == DirectWork.Forward ? PaddedForward(job.Path) : job.Work == DirectWork.InputGradient && PaddedBackward(job.Path);
        fixed (T* pc = columns, pw = weight.ValueSpan, pt = job.TransposedWeights, pd = job.Data, px = job.Input, pdx = job.InputGradient)
        fixed (T* pb = bias is null ? [] : bias.ValueSpan)
        fixed (T* pp = job.Partials)
        fixed (int* offsets = offsetSpan, forwardTaps = forwardOffsets, backwardTaps = backwardOffsets)
        {
            float* cols = (float*)pc, data = (float*)pd;
            float* b = bias is null ? null : (float*)pb;
            for (int g = 0; g < Groups; g++)
            {
                if (job.Work == DirectWork.InputGradient)
                {
                    float* wt = (float*)pt + ((nint)g * groupOutputs * tapCount);
                    for (int s = 0; s < samples; s++)
                    {
                        int n = first + s;
                        float* gradient = data + ((nint)n * outputSize) + ((nint)g * groupOutputs * positions);
                        if (padded)
                        {
                            // ∂X_g = ∂Y_g, padded by d(k − 1) − pad, correlated with the flipped kernel (rows per input channel).
                            int paddedLength = (groupOutputs * (outputHeight + BackwardPads.Top + BackwardPads.Bottom) * (outputWidth + BackwardPads.Left + BackwardPads.Right))
                                + (Dilation.Width * (KernelSize.Width - 1)) + 16;
                            PaddedConvolve(
                                job.Path, gradient, groupOutputs, outputHeight, outputWidth, BackwardPads, backwardTaps, wt, groupOutputs * KernelSize.Height * KernelSize.Width,
                                0, groupInputs, null, (float*)pdx + ((nint)n * inputSize) + ((nint)g * groupInputs * planeSize), inputHeight, inputWidth,
                                cols, paddedLength, cols + paddedLength);
                            continue;
                        }

                        // ∂cols (taps × P) = W_gᵀ·∂Y_g: the output gradient's channel planes are the kernel's columns.
                        for (int o = 0; o < groupOutputs; o++)
                        {
                            offsets[o] = o * positions;
                        }

                        DirectKernels.Forward(job.Path, gradient, offsets, wt, groupOutputs, tapCount, null, cols, positions);
                        Span<T> target = job.InputGradient.AsSpan((n * inputSize) + (g * groupInputs * planeSize), groupInputs * planeSize);
                        target.Clear();
                        AddColumns(columns, positions, 0, target);
                    }

                    continue;
                }

                if (job.Work == DirectWork.Forward && outputCount <= 0)
                {
                    continue;
                }

                if (job.Work == DirectWork.WeightGradient && PaddedForward(job.Path))
                {
                    PaddedWeightGradient(job.Path, (float*)px, data, first, samples, g, forwardTaps, cols, (float*)pp + ((nint)block * weight.Length) + ((nint)g * groupOutputs * tapCount));
                    continue;
                }

                if (padded)
                {
                    int o = (g * groupOutputs) + firstOutput;
                    int paddedLength = (groupInputs * (inputHeight + padTop + padBottom) * (inputWidth + padLeft + padRight)) + (Dilation.Width * (KernelSize.Width - 1)) + 16;
                    for (int s = 0; s < samples; s++)
                    {
                        int n = first + s;
                        PaddedConvolve(
                            job.Path, (float*)px + ((nint)n * inputSize) + ((nint)g * groupInputs * planeSize), groupInputs, inputHeight, inputWidth, (padTop, padLeft, padBottom, padRight),
                            forwardTaps, (float*)pw + ((nint)g * groupOutputs * tapCount), tapCount, firstOutput, outputCount, b == null ? null : b + (g * groupOutputs),
                            data + ((nint)n * outputSize) + ((nint)g * groupOutputs * positions), outputHeight, outputWidth, cols, paddedLength, cols + paddedLength, job.Relu);
                    }

                    continue;
                }

                for (int s = 0; s < samples; s++)
                {
                    Im2Col(job.Input.AsSpan(((first + s) * inputSize) + (g * groupInputs * planeSize), groupInputs * planeSize), columns, rows, s * positions);
                }

                for (int k = 0; k < tapCount; k++)
                {
                    offsets[k] = k * rows;
                }

                if (job.Work == DirectWork.Forward)
                {
                    int o = (g * groupOutputs) + firstOutput;
                    for (int s = 0; s < samples; s++)
                    {
                        DirectKernels.Forward(
                            job.Path, cols + ((nint)s * positions), offsets, (float*)pw + ((nint)o * tapCount), tapCount, outputCount, b == null ? null : b + o,
                            data + ((nint)(first + s) * outputSize) + ((nint)o * positions), positions, job.Relu);
                    }
                }
                else
                {
                    float* partial = (float*)pp + ((nint)block * weight.Length) + ((nint)g * groupOutputs * tapCount);
                    DirectKernels.WeightGradient(
                        job.Path, cols, offsets, positions, data + ((nint)first * outputSize) + ((nint)g * groupOutputs * positions), outputSize, samples, positions, tapCount, groupOutputs, partial);
                }
            }
        }
    }

    /// <summary>The arguments of one direct-path call, handed to the block workers without allocating.</summary>
    private sealed class DirectJob : IBlockJob
    {
        public Conv2d<T> Layer { get; private set; } = null!;

        public DirectWork Work { get; private set; }

        public T[] Input { get; private set; } = [];

        /// <summary>The output (forward) or the output gradient (backward).</summary>
        public T[] Data { get; private set; } = [];

        public T[] InputGradient { get; private set; } = [];

        public int Batch { get; private set; }

        public T[] Columns { get; private set; } = [];

        public int ColumnLength { get; private set; }

        /// <summary>Each worker's tap offsets.</summary>
        public int[] Offsets { get; private set; } = [];

        /// <summary>Per-block weight-gradient sums (weight gradient only).</summary>
        public T[] Partials { get; private set; } = [];

        /// <summary>The weights tap-major per group (input gradient only).</summary>
        public T[] TransposedWeights { get; private set; } = [];

        /// <summary>The calling thread's compute path, which the helpers follow.</summary>
        public GemmPath Path { get; private set; }

        /// <summary>Whether the forward pass stores <c>max(·, 0)</c> of its outputs (a fused ReLU at inference).</summary>
        public bool Relu { get; private set; }

        public void Start(
            Conv2d<T> layer, DirectWork work, T[]? input, T[] data, T[]? inputGradient, int batch, T[] columns, int columnLength, int[] offsets, T[]? partials, T[]? transposedWeights,
            bool relu = false)
        {
            Relu = relu;
            Offsets = offsets;
            Layer = layer;
            Work = work;
            Input = input ?? [];
            Data = data;
            InputGradient = inputGradient ?? [];
            Batch = batch;
            Columns = columns;
            ColumnLength = columnLength;
            Partials = partials ?? [];
            TransposedWeights = transposedWeights ?? [];
            Path = ComputeSettings.ActivePath;
        }

        /// <summary>Drops the references to the caller's arrays.</summary>
        public void Clear() => Start(null!, DirectWork.Forward, null, [], null, 0, [], 0, [], null, null);

        public void RunBlock(int block, int worker) => Layer.RunDirectBlock(this, block, worker);
    }
}
