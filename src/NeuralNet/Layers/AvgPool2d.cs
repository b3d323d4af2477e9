using System.Numerics;
using System.Numerics.Tensors;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Compute;

namespace NeuralNet.Layers;

/// <summary>
/// 2-D average pooling over each channel of <c>(channels, height, width)</c> samples, as PyTorch's <c>nn.AvgPool2d</c>
/// (<c>ceil_mode = False</c>, no divisor override): <c>y[c, i, j] = (1/d) Σ x[c, i·sₕ − pₕ + a, j·s_w − p_w + b]</c> over
/// the window, <c>0 ≤ a &lt; kₕ</c>, <c>0 ≤ b &lt; k_w</c>, with padding as zeros.
/// </summary>
/// <remarks>
/// <para>
/// <b>The divisor.</b> With <see cref="CountIncludePad"/> true (PyTorch's default) the padded zeros count:
/// <c>d = kₕ·k_w</c> for every window, so a window at the border averages in its zeros. With false,
/// <c>d</c> is the number of input elements the window covers.
/// </para>
/// <para>
/// <b>Shapes.</b> <c>(C, H, W)</c> to <c>(C, ⌊(H + 2pₕ − kₕ)/sₕ⌋ + 1, ⌊(W + 2p_w − k_w)/s_w⌋ + 1)</c>; the stride
/// defaults to the kernel and the padding must be at most half the kernel (PyTorch's rule). Rows and columns the last
/// window does not reach get zero gradient. The layer records its input shape when a network connects it.
/// </para>
/// <para>
/// <b>Gradient.</b> Each output's gradient divided by its <c>d</c> goes to every input element of its window;
/// overlapping windows add up.
/// </para>
/// <para>ONNX: <c>AveragePool(kernel_shape, strides, pads, count_include_pad)</c>; imports <c>AveragePool</c> with
/// either count_include_pad, ceil_mode 0 and dilations 1.</para>
/// </remarks>
/// <typeparam name="T">Element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
[LayerKind("avg_pool_2d")]
public sealed class AvgPool2d<T> : ILayer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Pool2dGeometry geometry;
    private readonly MatrixCache<T> outputs = new();
    private readonly MatrixCache<T> inputGradients = new();
    private int lastBatch;

    /// <summary>Creates the layer with a square window, the stride equal to it and no padding (PyTorch's defaults).</summary>
    /// <param name="kernelSize">The window's height and width, ≥ 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public AvgPool2d(int kernelSize)
        : this((kernelSize, kernelSize), null, (0, 0), countIncludePad: true)
    {
    }

    /// <summary>Creates the layer with a square window and stride, no padding.</summary>
    /// <param name="kernelSize">The window's height and width, ≥ 1.</param>
    /// <param name="stride">The step between windows, ≥ 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public AvgPool2d(int kernelSize, int stride)
        : this((kernelSize, kernelSize), (stride, stride), (0, 0), countIncludePad: true)
    {
    }

    /// <summary>Creates the layer with a square window, stride and padding.</summary>
    /// <param name="kernelSize">The window's height and width, ≥ 1.</param>
    /// <param name="stride">The step between windows, ≥ 1.</param>
    /// <param name="padding">The zero border on each side, 0 ≤ padding ≤ kernelSize / 2.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public AvgPool2d(int kernelSize, int stride, int padding)
        : this((kernelSize, kernelSize), (stride, stride), (padding, padding), countIncludePad: true)
    {
    }

    /// <summary>Creates the layer with a square window, stride and padding, and the divisor rule.</summary>
    /// <param name="kernelSize">The window's height and width, ≥ 1.</param>
    /// <param name="stride">The step between windows, ≥ 1.</param>
    /// <param name="padding">The zero border on each side, 0 ≤ padding ≤ kernelSize / 2.</param>
    /// <param name="countIncludePad">Whether padded zeros count in the divisor (PyTorch's default is true).</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public AvgPool2d(int kernelSize, int stride, int padding, bool countIncludePad)
        : this((kernelSize, kernelSize), (stride, stride), (padding, padding), countIncludePad)
    {
    }

    /// <summary>Creates the layer with a (height, width) window, the stride equal to it and no padding.</summary>
    /// <param name="kernelSize">The window's height and width, each ≥ 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public AvgPool2d((int Height, int Width) kernelSize)
        : this(kernelSize, null, (0, 0), countIncludePad: true)
    {
    }

    /// <summary>Creates the layer with a (height, width) window and stride, no padding.</summary>
    /// <param name="kernelSize">The window's height and width, each ≥ 1.</param>
    /// <param name="stride">The step between windows, each ≥ 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public AvgPool2d((int Height, int Width) kernelSize, (int Height, int Width) stride)
        : this(kernelSize, (Nullable<(int, int)>)stride, (0, 0), countIncludePad: true)
    {
    }

    /// <summary>Creates the layer with a (height, width) window, stride and padding.</summary>
    /// <param name="kernelSize">The window's height and width, each ≥ 1.</param>
    /// <param name="stride">The step between windows, each ≥ 1.</param>
    /// <param name="padding">The zero border on each side, each at most half the kernel.</param>
    /// <param name="countIncludePad">Whether padded zeros count in the divisor (PyTorch's default is true).</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public AvgPool2d((int Height, int Width) kernelSize, (int Height, int Width) stride, (int Height, int Width) padding, bool countIncludePad)
        : this(kernelSize, (Nullable<(int, int)>)stride, padding, countIncludePad)
    {
    }

    private AvgPool2d((int Height, int Width) kernelSize, (int Height, int Width)? stride, (int Height, int Width) padding, bool countIncludePad)
    {
        geometry = new Pool2dGeometry("AvgPool2d", kernelSize, stride, padding, countIncludePad ? null : ", count_include_pad false");
        CountIncludePad = countIncludePad;
    }

    /// <summary>The window's (height, width).</summary>
    public (int Height, int Width) KernelSize => geometry.Kernel;

    /// <summary>The step between windows, (height, width).</summary>
    public (int Height, int Width) Stride => geometry.Stride;

    /// <summary>The zero border added on each side, (height, width).</summary>
    public (int Height, int Width) Padding => geometry.Padding;

    /// <summary>Whether padded zeros count in the divisor (true: always <c>kₕ·k_w</c>, PyTorch's default).</summary>
    public bool CountIncludePad { get; }

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
    public LayerConfig GetConfig() => geometry.AddTo(new LayerConfig("avg_pool_2d")).With("count_include_pad", CountIncludePad);

    /// <summary>ONNX <c>AveragePool</c> with <c>kernel_shape</c>, <c>strides</c>, symmetric <c>pads</c> and <c>count_include_pad</c>.</summary>
    /// <inheritdoc />
    public OnnxForm ToOnnx() => geometry.AddTo(OnnxForm.Operator("AveragePool")).WithAttribute("count_include_pad", CountIncludePad ? 1L : 0L);

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">The layer has not been connected to an input shape.</exception>
    public Matrix<T> Forward(Matrix<T> input)
    {
        int inputSize = geometry.Connected is null ? throw geometry.NotConnected() : geometry.InputSize;
        LayerErrors.CheckInput(Name, inputSize, input);
        int batch = input.ColumnCount;
        Matrix<T> output = outputs.Get(geometry.OutputSize, batch);
        Compute(DenseStorage.Of(input, nameof(input)), DenseStorage.Of(output, nameof(output)), batch);
        lastBatch = batch;
        return output;
    }

    /// <summary>Spreads each output's gradient, divided by its divisor, over its window.</summary>
    /// <inheritdoc />
    public Matrix<T> Backward(Matrix<T> outputGradient)
    {
        int batch = lastBatch > 0 ? lastBatch : throw LayerErrors.BackwardBeforeForward(Name);
        Pool2dGeometry g = geometry;
        LayerErrors.CheckSameShape(Name, "the output gradient", g.OutputSize, batch, outputGradient, nameof(outputGradient));
        T[] gradient = DenseStorage.Of(outputGradient, nameof(outputGradient));
        Matrix<T> inputGradient = inputGradients.Get(g.InputSize, batch);
        T[] dx = DenseStorage.Of(inputGradient, nameof(inputGradient));
        Array.Clear(dx);
        int plane = g.Height * g.Width;
        for (int n = 0; n < batch; n++)
        {
            Span<T> sample = dx.AsSpan(n * g.InputSize, g.InputSize);
            int o = n * g.OutputSize;
            for (int c = 0; c < g.Channels; c++)
            {
                int channel = c * plane;
                for (int i = 0; i < g.OutputHeight; i++)
                {
                    int top = (i * g.Stride.Height) - g.Padding.Height;
                    int rowStart = Math.Max(top, 0), rowEnd = Math.Min(top + g.Kernel.Height, g.Height);
                    for (int j = 0; j < g.OutputWidth; j++, o++)
                    {
                        int left = (j * g.Stride.Width) - g.Padding.Width;
                        int columnStart = Math.Max(left, 0), columnEnd = Math.Min(left + g.Kernel.Width, g.Width);
                        T share = gradient[o] / Divisor(rowEnd - rowStart, columnEnd - columnStart);
                        for (int r = rowStart; r < rowEnd; r++)
                        {
                            Span<T> row = sample.Slice(channel + (r * g.Width) + columnStart, columnEnd - columnStart);
                            TensorPrimitives.Add(row, share, row);
                        }
                    }
                }
            }
        }

        return inputGradient;
    }

    /// <summary>Stateless average pooling. Thread-safe.</summary>
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

        Compute(DenseStorage.Of(input, nameof(input)), DenseStorage.Of(output, nameof(output)), input.ColumnCount);
    }

    /// <inheritdoc />
    public override string ToString() => Name;

    /// <summary>Builds the layer from its configuration (<c>kernel</c>, <c>stride</c>, <c>padding</c>, <c>count_include_pad</c>).</summary>
    /// <param name="config">The configuration.</param>
    internal static AvgPool2d<T> FromConfig(LayerConfig config) =>
        new(Pool2dGeometry.ReadPair(config, "kernel"), Pool2dGeometry.ReadPair(config, "stride"), Pool2dGeometry.ReadPair(config, "padding"), config.GetBoolean("count_include_pad"));

    /// <summary>
    /// Imports ONNX <c>AveragePool</c> over <c>[N, C, H, W]</c>: kernel_shape, strides (ONNX's default 1), symmetric pads
    /// and count_include_pad 0 (ONNX's default) or 1; refuses ceil_mode 1 and dilations other than 1.
    /// </summary>
    [OnnxImport("AveragePool")]
    internal static AvgPool2d<T> FromOnnx(OnnxNode node)
    {
        long countIncludePad = node.GetInt("count_include_pad", 0);
        if (countIncludePad is not (0 or 1))
        {
            throw node.Error($"count_include_pad must be 0 or 1, got {countIncludePad}");
        }

        var (kernel, stride, padding) = Pool2dGeometry.ReadOnnx(node);
        try
        {
            return new AvgPool2d<T>(kernel, stride, padding, countIncludePad == 1);
        }
        catch (ArgumentException e)
        {
            throw node.Error(e.Message);
        }
    }

    /// <summary>The divisor of a window covering <paramref name="rows"/> × <paramref name="columns"/> input elements.</summary>
    private T Divisor(int rows, int columns) =>
        T.CreateTruncating(CountIncludePad ? (long)geometry.Kernel.Height * geometry.Kernel.Width : (long)rows * columns);

    private void Compute(T[] x, T[] y, int batch)
    {
        Pool2dGeometry g = geometry;
        int plane = g.Height * g.Width;
        for (int n = 0; n < batch; n++)
        {
            ReadOnlySpan<T> sample = x.AsSpan(n * g.InputSize, g.InputSize);
            int o = n * g.OutputSize;
            for (int c = 0; c < g.Channels; c++)
            {
                int channel = c * plane;
                for (int i = 0; i < g.OutputHeight; i++)
                {
                    int top = (i * g.Stride.Height) - g.Padding.Height;
                    int rowStart = Math.Max(top, 0), rowEnd = Math.Min(top + g.Kernel.Height, g.Height);
                    for (int j = 0; j < g.OutputWidth; j++, o++)
                    {
                        int left = (j * g.Stride.Width) - g.Padding.Width;
                        int columnStart = Math.Max(left, 0), columnEnd = Math.Min(left + g.Kernel.Width, g.Width);
                        T sum = T.Zero;
                        for (int r = rowStart; r < rowEnd; r++)
                        {
                            sum += TensorPrimitives.Sum(sample.Slice(channel + (r * g.Width) + columnStart, columnEnd - columnStart));
                        }

                        y[o] = sum / Divisor(rowEnd - rowStart, columnEnd - columnStart);
                    }
                }
            }
        }
    }
}
