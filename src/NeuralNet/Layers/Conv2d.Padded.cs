using System.Numerics;
using System.Numerics.Tensors;
using NeuralNet.Compute;
using NeuralNet.Compute.Convolution;

namespace NeuralNet.Layers;

/// <summary>
/// The implicit form of the direct path for stride 1: instead of im2col, each sample's group is copied once into
/// zero-padded planes (<c>H_p × W_p</c>), in which tap <c>(c, i, j)</c>'s inputs for the output grid are one contiguous
/// run starting at <c>c·H_p·W_p + i·d_h·W_p + j·d_w</c>. The kernel computes the outputs on an <c>H_o × W_p</c> grid
/// (the <c>W_p − W_o</c> extra columns of each row are discarded when the planes are copied into place). The input
/// gradient of a stride-1 convolution is itself such a convolution: of <c>∂Y</c>, padded by <c>d(k − 1) − pad</c>, with
/// the kernel flipped and its channel axes swapped.
/// </summary>
public sealed partial class Conv2d<T>
{
    private int[] forwardOffsets = [];
    private int[] backwardOffsets = [];

    /// <summary>Whether the forward pass takes the implicit form on <paramref name="path"/>.</summary>
    private bool PaddedForward(GemmPath path) =>
        Stride == 1 && DirectKernels.Supports(path, outputHeight * (inputWidth + padLeft + padRight));

    /// <summary>Whether the input gradient takes the implicit form on <paramref name="path"/> (its padding must not be negative).</summary>
    private bool PaddedBackward(GemmPath path)
    {
        (int top, int left, int bottom, int right) = BackwardPads;
        return Stride == 1 && top >= 0 && left >= 0 && bottom >= 0 && right >= 0
            && DirectKernels.Supports(path, inputHeight * (outputWidth + left + right));
    }

    /// <summary>The padding of <c>∂Y</c> whose correlation with the flipped kernel is <c>∂X</c>: <c>d(k − 1) − pad</c> per side.</summary>
    private (int Top, int Left, int Bottom, int Right) BackwardPads
    {
        get
        {
            int h = Dilation.Height * (KernelSize.Height - 1), w = Dilation.Width * (KernelSize.Width - 1);
            return (h - padTop, w - padLeft, h - padBottom, w - padRight);
        }
    }

    /// <summary>Floats a worker needs for the implicit form: padded planes (with slack for the last run's overrun) and the output grid.</summary>
    private long PaddedScratchLength()
    {
        int slack = (Dilation.Width * (KernelSize.Width - 1)) + 16;
        long forward = ((long)groupInputs * (inputHeight + padTop + padBottom) * (inputWidth + padLeft + padRight)) + slack
            + ((long)groupOutputs * outputHeight * (inputWidth + padLeft + padRight));
        (int top, int left, int bottom, int right) = BackwardPads;
        long backward = ((long)groupOutputs * (outputHeight + Math.Max(top, 0) + Math.Max(bottom, 0)) * (outputWidth + Math.Max(left, 0) + Math.Max(right, 0))) + slack
            + ((long)groupInputs * inputHeight * (outputWidth + Math.Max(left, 0) + Math.Max(right, 0)));
        return Math.Max(forward, backward);
    }

    /// <summary>Records the taps' offsets in the padded planes of the input (forward) and of <c>∂Y</c> (input gradient).</summary>
    private void BuildPaddedOffsets()
    {
        (int kh, int kw) = KernelSize.ToValueTuple();
        forwardOffsets = Offsets(groupInputs, inputHeight + padTop + padBottom, inputWidth + padLeft + padRight);
        (int top, int left, int bottom, int right) = BackwardPads;
        backwardOffsets = Offsets(groupOutputs, outputHeight + Math.Max(top, 0) + Math.Max(bottom, 0), outputWidth + Math.Max(left, 0) + Math.Max(right, 0));

        int[] Offsets(int channels, int height, int width)
        {
            var offsets = new int[channels * kh * kw];
            for (int c = 0, k = 0; c < channels; c++)
            {
                for (int i = 0; i < kh; i++)
                {
                    for (int j = 0; j < kw; j++, k++)
                    {
                        offsets[k] = (c * height * width) + (i * Dilation.Height * width) + (j * Dilation.Width);
                    }
                }
            }

            return offsets;
        }
    }

    /// <summary>
    /// A block's weight gradient for group <paramref name="g"/> in the implicit form: each sample's padded planes and its
    /// <c>∂Y</c> on the <c>H_o × W_p</c> grid (zero in the extra columns) side by side in <paramref name="scratch"/>, then
    /// <c>∂W[o, k] = Σ ∂Y_grid[o, p]·X_p[offset_k + p]</c>.
    /// </summary>
    private unsafe void PaddedWeightGradient(GemmPath path, float* x, float* dy, int first, int samples, int g, int* offsets, float* scratch, float* partial)
    {
        int paddedHeight = inputHeight + padTop + padBottom, paddedWidth = inputWidth + padLeft + padRight;
        int planeSize = inputHeight * inputWidth;
        int paddedLength = (groupInputs * paddedHeight * paddedWidth) + (Dilation.Width * (KernelSize.Width - 1)) + 16;
        int gridPositions = outputHeight * paddedWidth;
        int gridLength = groupOutputs * gridPositions;
        float* grids = scratch + ((nint)samples * paddedLength);
        new Span<float>(scratch, samples * (paddedLength + gridLength)).Clear();
        for (int s = 0; s < samples; s++)
        {
            int n = first + s;
            float* input = x + ((nint)n * InputSize) + ((nint)g * groupInputs * planeSize);
            float* padded = scratch + ((nint)s * paddedLength);
            for (int c = 0; c < groupInputs; c++)
            {
                for (int h = 0; h < inputHeight; h++)
                {
                    new ReadOnlySpan<float>(input + (((nint)c * inputHeight) + h) * inputWidth, inputWidth)
                        .CopyTo(new Span<float>(padded + ((((nint)c * paddedHeight) + h + padTop) * paddedWidth) + padLeft, inputWidth));
                }
            }

            float* gradient = dy + ((nint)n * OutChannels * Positions) + ((nint)g * groupOutputs * Positions);
            float* grid = grids + ((nint)s * gridLength);
            for (int o = 0; o < groupOutputs; o++)
            {
                for (int h = 0; h < outputHeight; h++)
                {
                    new ReadOnlySpan<float>(gradient + ((((nint)o * outputHeight) + h) * outputWidth), outputWidth)
                        .CopyTo(new Span<float>(grid + ((nint)o * gridPositions) + ((nint)h * paddedWidth), outputWidth));
                }
            }
        }

        DirectKernels.WeightGradient(path, scratch, offsets, paddedLength, grids, gridLength, samples, gridPositions, tapCount, groupOutputs, partial);
    }

    /// <summary>
    /// One plane group through the implicit form: pads <paramref name="channels"/> planes of <paramref name="height"/> ×
    /// <paramref name="width"/> into <paramref name="padded"/>, runs the kernel for output channels
    /// <c>[first, first + count)</c> of <paramref name="weights"/> (rows of <c>channels·k_h·k_w</c> taps) onto the grid,
    /// and copies the grid's valid columns into <paramref name="output"/> (planes of <c>H_o × W_o</c>), as
    /// <c>max(·, 0)</c> with <paramref name="relu"/> (the ReLU in the same pass as the copy).
    /// </summary>
    private static unsafe void PaddedConvolve(
        GemmPath path, float* input, int channels, int height, int width, (int Top, int Left, int Bottom, int Right) pads, int* offsets,
        float* weights, int taps, int first, int count, float* bias, float* output, int outHeight, int outWidth, float* padded, int paddedLength, float* grid,
        bool relu = false)
    {
        int paddedHeight = height + pads.Top + pads.Bottom, paddedWidth = width + pads.Left + pads.Right;
        new Span<float>(padded, paddedLength).Clear();
        for (int c = 0; c < channels; c++)
        {
            for (int h = 0; h < height; h++)
            {
                new ReadOnlySpan<float>(input + (((nint)c * height) + h) * width, width)
                    .CopyTo(new Span<float>(padded + ((((nint)c * paddedHeight) + h + pads.Top) * paddedWidth) + pads.Left, width));
            }
        }

        int gridPositions = outHeight * paddedWidth;
        DirectKernels.Forward(path, padded, offsets, weights + ((nint)first * taps), taps, count, bias == null ? null : bias + first, grid, gridPositions);
        for (int o = 0; o < count; o++)
        {
            for (int h = 0; h < outHeight; h++)
            {
                var row = new ReadOnlySpan<float>(grid + ((nint)o * gridPositions) + ((nint)h * paddedWidth), outWidth);
                var target = new Span<float>(output + ((((nint)(first + o) * outHeight) + h) * outWidth), outWidth);
                if (relu)
                {
                    TensorPrimitives.Max(row, 0f, target);
                }
                else
                {
                    row.CopyTo(target);
                }
            }
        }
    }
}
