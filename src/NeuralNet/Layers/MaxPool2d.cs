using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Compute;

namespace NeuralNet.Layers;

/// <summary>
/// 2-D max pooling over each channel of <c>(channels, height, width)</c> samples, as PyTorch's <c>nn.MaxPool2d</c>
/// (dilation 1, <c>ceil_mode = False</c>): <c>y[c, i, j] = max over the window x[c, i·sₕ − pₕ + a, j·s_w − p_w + b]</c>,
/// <c>0 ≤ a &lt; kₕ</c>, <c>0 ≤ b &lt; k_w</c>.
/// </summary>
/// <remarks>
/// <para>
/// <b>Shapes.</b> <c>(C, H, W)</c> to <c>(C, ⌊(H + 2pₕ − kₕ)/sₕ⌋ + 1, ⌊(W + 2p_w − k_w)/s_w⌋ + 1)</c>. The stride
/// defaults to the kernel. Padding counts as −∞ (it never wins) and must be at most half the kernel, as PyTorch
/// requires, so every window holds at least one input element. Rows and columns the last window does not reach are
/// dropped and get zero gradient. The layer records its input shape when a network connects it
/// (<see cref="Connect"/>): a matrix's row count does not tell height from width.
/// </para>
/// <para>
/// <b>Gradient and ties.</b> Each output's gradient goes to the input element that was its maximum; overlapping windows
/// add up. When several elements of a window are equal and maximal, the <b>first in row-major order of the window</b>
/// (top row first, left to right) gets the whole gradient, as in PyTorch's CPU kernel. A NaN counts as the maximum.
/// Training keeps those positions (an <see cref="int"/> per output element) for <see cref="Backward"/>.
/// </para>
/// <para>ONNX: <c>MaxPool(kernel_shape, strides, pads)</c>; imports <c>MaxPool</c> with ceil_mode 0, dilations 1,
/// storage_order 0 and no Indices output.</para>
/// </remarks>
/// <example>
/// <code>
/// var network = new Network&lt;float&gt;(Shape.Of(1, 28, 28), new MaxPool2d&lt;float&gt;(2), new Flatten&lt;float&gt;()); // (1, 14, 14) → (196)
/// </code>
/// </example>
/// <typeparam name="T">Element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
[LayerKind("max_pool_2d")]
public sealed class MaxPool2d<T> : ILayer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Pool2dGeometry geometry;
    private readonly MatrixCache<T> outputs = new();
    private readonly MatrixCache<T> inputGradients = new();
    private int[] argMax = [];
    private int lastBatch;

    /// <summary>Creates the layer with a square window, the stride equal to it and no padding (PyTorch's defaults).</summary>
    /// <param name="kernelSize">The window's height and width, ≥ 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public MaxPool2d(int kernelSize)
        : this((kernelSize, kernelSize), null, (0, 0))
    {
    }

    /// <summary>Creates the layer with a square window and stride, no padding.</summary>
    /// <param name="kernelSize">The window's height and width, ≥ 1.</param>
    /// <param name="stride">The step between windows, ≥ 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public MaxPool2d(int kernelSize, int stride)
        : this((kernelSize, kernelSize), (stride, stride), (0, 0))
    {
    }

    /// <summary>Creates the layer with a square window, stride and padding.</summary>
    /// <param name="kernelSize">The window's height and width, ≥ 1.</param>
    /// <param name="stride">The step between windows, ≥ 1.</param>
    /// <param name="padding">The −∞ border on each side, 0 ≤ padding ≤ kernelSize / 2.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public MaxPool2d(int kernelSize, int stride, int padding)
        : this((kernelSize, kernelSize), (stride, stride), (padding, padding))
    {
    }

    /// <summary>Creates the layer with a (height, width) window, the stride equal to it and no padding.</summary>
    /// <param name="kernelSize">The window's height and width, each ≥ 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public MaxPool2d((int Height, int Width) kernelSize)
        : this(kernelSize, null, (0, 0))
    {
    }

    /// <summary>Creates the layer with a (height, width) window and stride, no padding.</summary>
    /// <param name="kernelSize">The window's height and width, each ≥ 1.</param>
    /// <param name="stride">The step between windows, each ≥ 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public MaxPool2d((int Height, int Width) kernelSize, (int Height, int Width) stride)
        : this(kernelSize, (Nullable<(int, int)>)stride, (0, 0))
    {
    }

    /// <summary>Creates the layer with a (height, width) window, stride and padding.</summary>
    /// <param name="kernelSize">The window's height and width, each ≥ 1.</param>
    /// <param name="stride">The step between windows, each ≥ 1.</param>
    /// <param name="padding">The −∞ border on each side, each at most half the kernel.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public MaxPool2d((int Height, int Width) kernelSize, (int Height, int Width) stride, (int Height, int Width) padding)
        : this(kernelSize, (Nullable<(int, int)>)stride, padding)
    {
    }

    private MaxPool2d((int Height, int Width) kernelSize, (int Height, int Width)? stride, (int Height, int Width) padding)
    {
        geometry = new Pool2dGeometry("MaxPool2d", kernelSize, stride, padding);
    }

    /// <summary>The window's (height, width).</summary>
    public (int Height, int Width) KernelSize => geometry.Kernel;

    /// <summary>The step between windows, (height, width).</summary>
    public (int Height, int Width) Stride => geometry.Stride;

    /// <summary>The −∞ border added on each side, (height, width).</summary>
    public (int Height, int Width) Padding => geometry.Padding;

    /// <inheritdoc />
    public string Name => geometry.Name;

    /// <summary>Any <c>(channels, height, width)</c> the window fits.</summary>
    /// <inheritdoc />
    public Shape? InputShape => null;

    /// <inheritdoc />
    public IReadOnlyList<Parameter<T>> Parameters => [];

    /// <summary><c>(C, H, W)</c> to <c>(C, OH, OW)</c>; refuses another rank or a window larger than the padded input.</summary>
    /// <inheritdoc />
    public Shape GetOutputShape(Shape inputShape) => geometry.GetOutputShape(inputShape);

    /// <summary>Records <c>(C, H, W)</c>; refuses a different shape once connected.</summary>
    /// <inheritdoc />
    public Shape Connect(Shape inputShape) => geometry.Connect(inputShape);

    /// <inheritdoc />
    public LayerConfig GetConfig() => geometry.AddTo(new LayerConfig("max_pool_2d"));

    /// <summary>ONNX <c>MaxPool</c> with <c>kernel_shape</c>, <c>strides</c> and symmetric <c>pads</c>.</summary>
    /// <inheritdoc />
    public OnnxForm ToOnnx() => geometry.AddTo(OnnxForm.Operator("MaxPool"));

    /// <summary>Training pass: pools and keeps the position of each window's maximum for <see cref="Backward"/>.</summary>
    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">The layer has not been connected to an input shape.</exception>
    public Matrix<T> Forward(Matrix<T> input)
    {
        int inputSize = geometry.Connected is null ? throw geometry.NotConnected() : geometry.InputSize;
        LayerErrors.CheckInput(Name, inputSize, input);
        int batch = input.ColumnCount;
        int outputSize = geometry.OutputSize;
        if (argMax.Length < outputSize * batch)
        {
            argMax = new int[outputSize * batch];
        }

        Matrix<T> output = outputs.Get(outputSize, batch);
        Compute(DenseStorage.Of(input, nameof(input)), DenseStorage.Of(output, nameof(output)), argMax, batch);
        lastBatch = batch;
        return output;
    }

    /// <summary>Sends each output's gradient to its window's maximum (the first one on ties); other inputs get 0.</summary>
    /// <inheritdoc />
    public Matrix<T> Backward(Matrix<T> outputGradient)
    {
        int batch = lastBatch > 0 ? lastBatch : throw LayerErrors.BackwardBeforeForward(Name);
        int inputSize = geometry.InputSize;
        int outputSize = geometry.OutputSize;
        LayerErrors.CheckSameShape(Name, "the output gradient", outputSize, batch, outputGradient, nameof(outputGradient));
        T[] g = DenseStorage.Of(outputGradient, nameof(outputGradient));
        Matrix<T> inputGradient = inputGradients.Get(inputSize, batch);
        T[] dx = DenseStorage.Of(inputGradient, nameof(inputGradient));
        Array.Clear(dx);
        for (int n = 0; n < batch; n++)
        {
            Span<T> column = dx.AsSpan(n * inputSize, inputSize);
            int start = n * outputSize;
            for (int o = 0; o < outputSize; o++)
            {
                column[argMax[start + o]] += g[start + o];
            }
        }

        return inputGradient;
    }

    /// <summary>Stateless max pooling. Thread-safe.</summary>
    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">The layer has not been connected to an input shape.</exception>
    public void Predict(Matrix<T> input, Matrix<T> output)
    {
        int inputSize = geometry.Connected is null ? throw geometry.NotConnected() : geometry.InputSize;
        LayerErrors.CheckInput(Name, inputSize, input);
        LayerErrors.CheckSameShape(Name, "the output", geometry.OutputSize, input.ColumnCount, output, nameof(output));
        if (ReferenceEquals(input, output))
        {
            throw new ArgumentException($"{Name}: the output must not be the input matrix.", nameof(output));
        }

        Compute(DenseStorage.Of(input, nameof(input)), DenseStorage.Of(output, nameof(output)), null, input.ColumnCount);
    }

    /// <inheritdoc />
    public override string ToString() => Name;

    /// <summary>Builds the layer from its configuration (<c>kernel</c>, <c>stride</c>, <c>padding</c>: two integers each).</summary>
    /// <param name="config">The configuration.</param>
    internal static MaxPool2d<T> FromConfig(LayerConfig config) =>
        new(Pool2dGeometry.ReadPair(config, "kernel"), Pool2dGeometry.ReadPair(config, "stride"), Pool2dGeometry.ReadPair(config, "padding"));

    /// <summary>
    /// Imports ONNX <c>MaxPool</c> over <c>[N, C, H, W]</c>: kernel_shape, strides (ONNX's default 1) and symmetric pads;
    /// refuses ceil_mode 1, dilations other than 1, storage_order 1 and a second (Indices) output.
    /// </summary>
    [OnnxImport("MaxPool")]
    internal static MaxPool2d<T> FromOnnx(OnnxNode node)
    {
        if (node.OutputCount != 1)
        {
            throw node.Error("only MaxPool with one output is supported, not the Indices output");
        }

        if (node.GetInt("storage_order", 0) != 0)
        {
            throw node.Error("storage_order = 1 (column-major indices) is not supported");
        }

        var (kernel, stride, padding) = Pool2dGeometry.ReadOnnx(node);
        try
        {
            return new MaxPool2d<T>(kernel, stride, padding);
        }
        catch (ArgumentException e)
        {
            throw node.Error(e.Message);
        }
    }

    /// <summary>Pools every sample; when <paramref name="positions"/> is given, stores each maximum's index within its sample.</summary>
    private void Compute(T[] x, T[] y, int[]? positions, int batch)
    {
        Pool2dGeometry g = geometry;
        int channels = g.Channels, height = g.Height, width = g.Width, outHeight = g.OutputHeight, outWidth = g.OutputWidth;
        int kernelHeight = g.Kernel.Height, kernelWidth = g.Kernel.Width;
        int strideHeight = g.Stride.Height, strideWidth = g.Stride.Width;
        int padHeight = g.Padding.Height, padWidth = g.Padding.Width;
        int inputSize = g.InputSize, outputSize = g.OutputSize, plane = height * width;
        if (kernelHeight == 2 && kernelWidth == 2 && padHeight == 0 && padWidth == 0)
        {
            MaxPoolWindows.TwoByTwo<T>(x, y, positions, batch, channels, plane, width, outHeight, outWidth, strideHeight, strideWidth);
            return;
        }

        for (int n = 0; n < batch; n++)
        {
            ReadOnlySpan<T> sample = x.AsSpan(n * inputSize, inputSize);
            int o = n * outputSize;
            for (int c = 0; c < channels; c++)
            {
                int channel = c * plane;
                for (int i = 0; i < outHeight; i++)
                {
                    int top = (i * strideHeight) - padHeight;
                    int rowStart = Math.Max(top, 0), rowEnd = Math.Min(top + kernelHeight, height);
                    for (int j = 0; j < outWidth; j++, o++)
                    {
                        int left = (j * strideWidth) - padWidth;
                        int columnStart = Math.Max(left, 0), columnEnd = Math.Min(left + kernelWidth, width);

                        // PyTorch's rule: start at −∞ with the window's first element, replace only on a strictly
                        // greater value (so ties keep the first in row-major order) or a NaN.
                        T best = T.NegativeInfinity;
                        int bestIndex = channel + (rowStart * width) + columnStart;
                        for (int r = rowStart; r < rowEnd; r++)
                        {
                            int row = channel + (r * width);
                            for (int k = row + columnStart; k < row + columnEnd; k++)
                            {
                                T v = sample[k];
                                if (v > best || T.IsNaN(v))
                                {
                                    best = v;
                                    bestIndex = k;
                                }
                            }
                        }

                        y[o] = sample[bestIndex];
                        if (positions is not null)
                        {
                            positions[o] = bestIndex;
                        }
                    }
                }
            }
        }
    }
}
