using System.Buffers;
using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Compute;
using NeuralNet.Initializers;

namespace NeuralNet.Layers;

/// <summary>
/// 2-D convolution (cross-correlation) with PyTorch's <c>nn.Conv2d</c> semantics: kernel, stride, zero padding
/// (numbers or <see cref="Conv2dPadding.Same"/>), dilation, groups and an optional bias.
/// </summary>
/// <remarks>
/// <para>
/// <b>Shapes.</b> An input sample <c>(C, H, W)</c> fills its column in row-major order (one sample of PyTorch's NCHW);
/// the output sample <c>(C_out, H_o, W_o)</c> likewise, with
/// <c>H_o = ⌊(H + pad_top + pad_bottom − d_h(k_h − 1) − 1)/s_h⌋ + 1</c> and the same for the width. Input rows and
/// columns past the last window get no gradient. The layer accepts any height and width (<see cref="InputShape"/> is
/// <see langword="null"/>): a network records them when it connects the layer (<see cref="Connect"/>), so a network
/// with a convolution first needs its input shape, e.g. <c>new Network&lt;float&gt;(Shape.Of(1, 28, 28), …)</c>.
/// </para>
/// <para>
/// <b>Parameters.</b> <c>weight</c> holds PyTorch's <c>[C_out, C_in/groups, k_h, k_w]</c> tensor in exactly that memory
/// order; as a matrix it is <c>K × C_out</c> with <c>K = C_in/groups·k_h·k_w</c> (column <c>o</c> is output channel
/// <c>o</c>'s filter). <c>bias</c> is <c>C_out × 1</c> (absent without bias). Random weights are drawn with
/// PyTorch's fans (<c>_calculate_fan_in_and_fan_out</c>): fan-in <c>C_in/groups·k_h·k_w</c>, fan-out
/// <c>C_out·k_h·k_w</c>; the bias starts at zero (as <see cref="Linear{T}"/>; PyTorch draws it uniformly).
/// </para>
/// <para>
/// <b>Algorithm.</b> float32 on the AVX2/AVX-512 paths (when one sample's im2col block, taps × positions, is at most
/// 256 Ki elements and the output plane holds at least one vector) takes the <i>direct</i> path: blocks of samples are
/// im2col'ed into a tap-major buffer (for each tap <c>k</c> one contiguous run of positions) and register-tiled kernels
/// write <c>Y = W_g·cols + b</c> straight into the output planes, several output channels per loaded vector of
/// positions (for stride 1 without im2col: every tap is a contiguous run of the zero-padded planes); backward computes
/// the input gradient by the same kernel (stride 1: the padded <c>∂Y</c> correlated with the flipped kernel; otherwise
/// <c>∂cols = W_gᵀ·∂Y</c> scattered back by col2im), and
/// <c>∂W</c> directly as dot products over positions for at most 32 taps (a first layer's 9, where im2col + GEMM is
/// bound by memory) and by the GEMM otherwise. The blocks run on helper threads (<see cref="ComputeInfo.MaxThreads"/>);
/// the weight gradient's per-block partial sums are added in block order. Otherwise (float64, the portable path, larger
/// blocks), per chunk of samples and group, im2col copies the receptive fields into a column-major
/// <c>(S·P) × K</c> buffer (<c>P = H_o·W_o</c>, <c>S</c> samples so that <c>S·P</c> reaches about 1024 rows) and the
/// library's GEMM computes <c>Z = cols·W_g</c>, whose runs of <c>P</c> are the samples' output planes, copied into
/// place with the bias. Backward: <c>∂W_g += colsᵀ·∂Z</c>, <c>∂cols = ∂Z·W_gᵀ</c> scattered back by col2im, <c>∂b</c>
/// the sums over positions and samples. A 1×1 kernel with stride 1 and no padding uses each sample's input itself as
/// <c>cols</c> (one product per sample, written in place). All reductions run in a fixed order, so results do not
/// depend on the thread count. Training reuses its buffers (no allocation per step once warm); <see cref="Predict"/>
/// rents its scratch per call and is thread-safe.
/// </para>
/// <para>
/// <b>Configuration</b> (<see cref="GetConfig"/>, kind <c>conv2d</c>): <c>in_channels</c>, <c>out_channels</c>,
/// <c>kernel_size</c>, <c>stride</c>, <c>padding</c> (pairs of integers; <c>padding</c> is <c>[0, 0]</c> with "same"),
/// <c>padding_same</c> (flag), <c>dilation</c> (pair), <c>groups</c>, <c>bias</c> (flag). <b>ONNX:</b> <c>Conv</c>
/// with explicit <c>pads</c> <c>[top, left, bottom, right]</c> (<c>auto_pad</c> SAME_UPPER for "same"); imports <c>Conv</c> with <c>auto_pad</c> NOTSET, VALID
/// or SAME_UPPER.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// var random = new Random(42);
/// var network = new Network&lt;float&gt;(Shape.Of(1, 28, 28),
///     new Conv2d&lt;float&gt;(1, 8, 3, random, Initializer.HeNormal, padding: 1),   // (8, 28, 28)
///     new ReLU&lt;float&gt;(),
///     new Conv2d&lt;float&gt;(8, 16, 3, random, Initializer.HeNormal, stride: 2),     // (16, 13, 13)
///     new ReLU&lt;float&gt;(),
///     new Flatten&lt;float&gt;(),
///     new Linear&lt;float&gt;(16 * 13 * 13, 10, random));
/// </code>
/// </example>
/// <typeparam name="T">Element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
[LayerKind("conv2d")]
public sealed partial class Conv2d<T> : ILayer<T>, IParameterGradients<T>, IActivationFusing<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Output positions one product should have at least (samples are batched until they reach it).</summary>
    internal const int ChunkRows = 1024;

    /// <summary>The most elements one im2col buffer may hold (16 MB of float).</summary>
    internal const long MaxChunkElements = 4L * 1024 * 1024;

    /// <summary>The largest im2col block of one sample (positions × taps) the layer accepts: 256 Mi elements, 1 GiB in float.</summary>
    internal const long MaxSampleElements = 256L * 1024 * 1024;

    [ThreadStatic]
    private static int? forcedSamplesPerChunk;

    private readonly Parameter<T> weight;
    private readonly Parameter<T>? bias;
    private readonly MatrixCache<T> outputs = new();
    private readonly MatrixCache<T> inputGradients = new();
    private readonly int padTop;
    private readonly int padLeft;
    private readonly int padBottom;
    private readonly int padRight;
    private readonly int groupInputs;
    private readonly int groupOutputs;
    private readonly int tapCount;
    private readonly bool pointwise;
    private Shape? connectedShape;
    private int inputHeight;
    private int inputWidth;
    private int outputHeight;
    private int outputWidth;
    private T[] trainingColumns = [];
    private T[] trainingColumnGradients = [];
    private T[] trainingProducts = [];
    private Matrix<T>? lastInput;

    /// <summary>Creates a layer with random weights and zero bias.</summary>
    /// <param name="inChannels">Channels of the input samples, ≥ 1 and divisible by <paramref name="groups"/>.</param>
    /// <param name="outChannels">Channels of the output samples (filters), ≥ 1 and divisible by <paramref name="groups"/>.</param>
    /// <param name="kernelSize">The kernel's size: a number for a square kernel or a <c>(height, width)</c> pair, each ≥ 1.</param>
    /// <param name="random">The source of the initial weights (inject a seeded one for reproducible runs).</param>
    /// <param name="initializer">Weight distribution; default <see cref="Initializer.GlorotUniform"/> (as <see cref="Linear{T}"/>). Use <see cref="Initializer.HeNormal"/> in front of ReLU-family activations.</param>
    /// <param name="stride">Step between windows: a number or a <c>(height, width)</c> pair, each ≥ 1; default 1.</param>
    /// <param name="padding">Zero padding: a number, a <c>(height, width)</c> pair or <see cref="Conv2dPadding.Same"/>; default none.</param>
    /// <param name="dilation">Spacing between kernel taps: a number or a <c>(height, width)</c> pair, each ≥ 1; default 1.</param>
    /// <param name="groups">Channel groups: 1 (dense), …, <paramref name="inChannels"/> (depthwise).</param>
    /// <param name="bias">Whether the layer adds a learned bias per output channel.</param>
    /// <exception cref="ArgumentException">A value is out of range; the message names the layer and the value.</exception>
    public Conv2d(
        int inChannels, int outChannels, Conv2dSize kernelSize, Random random, IWeightInitializer? initializer = null,
        Conv2dSize? stride = null, Conv2dPadding padding = default, Conv2dSize? dilation = null, int groups = 1, bool bias = true)
        : this(inChannels, outChannels, kernelSize, stride ?? 1, padding, dilation ?? 1, groups, bias)
    {
        ArgumentNullException.ThrowIfNull(random);
        WeightInitializer = initializer ?? Initializer.GlorotUniform;
        WeightInitializer.Initialize(weight.ValueSpan, FanIn, FanOut, random);
    }

    /// <summary>Creates a layer from given weights and bias (copied; no randomness involved), e.g. imported from PyTorch.</summary>
    /// <param name="inChannels">Channels of the input samples, ≥ 1 and divisible by <paramref name="groups"/>.</param>
    /// <param name="outChannels">Channels of the output samples (filters), ≥ 1 and divisible by <paramref name="groups"/>.</param>
    /// <param name="kernelSize">The kernel's size, each ≥ 1.</param>
    /// <param name="stride">Step between windows, each ≥ 1.</param>
    /// <param name="padding">Zero padding: a number, a <c>(height, width)</c> pair or <see cref="Conv2dPadding.Same"/>.</param>
    /// <param name="dilation">Spacing between kernel taps, each ≥ 1.</param>
    /// <param name="groups">Channel groups.</param>
    /// <param name="weight">PyTorch's weight <c>[outChannels, inChannels/groups, kh, kw]</c> in row-major order.</param>
    /// <param name="bias">The bias, of length <paramref name="outChannels"/>; <see langword="null"/> for a layer without bias.</param>
    /// <exception cref="ArgumentException">A value is out of range, or the weight or bias has the wrong length.</exception>
    public Conv2d(
        int inChannels, int outChannels, Conv2dSize kernelSize, Conv2dSize stride, Conv2dPadding padding, Conv2dSize dilation, int groups,
        T[] weight, T[]? bias)
        : this(inChannels, outChannels, kernelSize, stride, padding, dilation, groups, bias is not null)
    {
        ArgumentNullException.ThrowIfNull(weight);
        if (weight.Length != this.weight.Length)
        {
            throw new ArgumentException(
                $"{Name}: the weight has {weight.Length} values, but [out, in/groups, kh, kw] = [{outChannels}, {groupInputs}, {kernelSize.Height}, {kernelSize.Width}] needs {this.weight.Length}.",
                nameof(weight));
        }

        if (bias is not null && bias.Length != outChannels)
        {
            throw new ArgumentException($"{Name}: the bias has {bias.Length} values, expected {outChannels} (one per output channel).", nameof(bias));
        }

        weight.CopyTo(this.weight.ValueSpan);
        bias?.CopyTo(this.bias!.ValueSpan);
    }

    private Conv2d(
        int inChannels, int outChannels, Conv2dSize kernelSize, Conv2dSize stride, Conv2dPadding padding, Conv2dSize dilation, int groups, bool bias)
    {
        Positive(inChannels, "in_channels", nameof(inChannels));
        Positive(outChannels, "out_channels", nameof(outChannels));
        Positive(groups, "groups", nameof(groups));
        PositivePair(kernelSize, "kernel_size", nameof(kernelSize));
        PositivePair(stride, "stride", nameof(stride));
        PositivePair(dilation, "dilation", nameof(dilation));
        if (inChannels % groups != 0 || outChannels % groups != 0)
        {
            throw new ArgumentException(
                $"Conv2d: in_channels ({inChannels}) and out_channels ({outChannels}) must both be divisible by groups ({groups}).", nameof(groups));
        }

        // Sizes that no array holds are refused naming the arguments (not an OverflowException from the products below).
        double weightCount = (double)(inChannels / groups) * kernelSize.Height * kernelSize.Width * outChannels;
        if (weightCount > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(
                nameof(kernelSize), kernelSize,
                $"Conv2d: the weight [outChannels, inChannels/groups, kh, kw] = [{outChannels}, {inChannels / groups}, {kernelSize.Height}, {kernelSize.Width}] has {weightCount:N0} values, more than an array holds ({Array.MaxLength:N0}).");
        }

        if (padding.IsSame)
        {
            if ((double)dilation.Height * (kernelSize.Height - 1) > int.MaxValue || (double)dilation.Width * (kernelSize.Width - 1) > int.MaxValue)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(dilation), dilation, $"Conv2d: padding 'same' for dilation {dilation} and kernelSize {kernelSize} is larger than an int holds.");
            }

            if (stride != 1)
            {
                throw new ArgumentException(
                    $"Conv2d: padding 'same' needs stride (1, 1), got stride {stride} (as PyTorch, which refuses it for strided convolutions).", nameof(padding));
            }

            int totalHeight = checked(dilation.Height * (kernelSize.Height - 1));
            int totalWidth = checked(dilation.Width * (kernelSize.Width - 1));
            padTop = totalHeight / 2;
            padBottom = totalHeight - padTop;
            padLeft = totalWidth / 2;
            padRight = totalWidth - padLeft;
        }
        else
        {
            if (padding.Height < 0 || padding.Width < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(padding), padding, $"Conv2d: padding must be ≥ 0, got {padding}.");
            }

            padTop = padBottom = padding.Height;
            padLeft = padRight = padding.Width;
        }

        InChannels = inChannels;
        OutChannels = outChannels;
        KernelSize = kernelSize;
        Stride = stride;
        Padding = padding;
        Dilation = dilation;
        Groups = groups;
        HasBias = bias;
        groupInputs = inChannels / groups;
        groupOutputs = outChannels / groups;
        tapCount = checked(groupInputs * kernelSize.Height * kernelSize.Width);
        pointwise = kernelSize == 1 && stride == 1 && padTop == 0 && padLeft == 0 && padBottom == 0 && padRight == 0;

        // Built once: the name goes into every shape check, and formatting it per call would allocate per step.
        Name = BuildName();
        this.weight = new Parameter<T>("weight", tapCount, outChannels);
        this.bias = bias ? new Parameter<T>("bias", outChannels, 1) : null;
        Parameters = this.bias is null ? [this.weight] : [this.weight, this.bias];
    }

    /// <summary>Channels of the input samples.</summary>
    public int InChannels { get; }

    /// <summary>Channels of the output samples (the number of filters).</summary>
    public int OutChannels { get; }

    /// <summary>The kernel's height and width.</summary>
    public Conv2dSize KernelSize { get; }

    /// <summary>Step between windows.</summary>
    public Conv2dSize Stride { get; }

    /// <summary>The padding as given (numbers or <see cref="Conv2dPadding.Same"/>).</summary>
    public Conv2dPadding Padding { get; }

    /// <summary>Rows and columns of zeros actually added on each side: <c>(top, left, bottom, right)</c>, ONNX's order.</summary>
    public (int Top, int Left, int Bottom, int Right) Pads => (padTop, padLeft, padBottom, padRight);

    /// <summary>Spacing between kernel taps.</summary>
    public Conv2dSize Dilation { get; }

    /// <summary>Channel groups (1 is a dense convolution, <see cref="InChannels"/> depthwise).</summary>
    public int Groups { get; }

    /// <summary>Whether the layer has a bias.</summary>
    public bool HasBias { get; }

    /// <summary>The initializer the weights were drawn from, or <see langword="null"/> if they were given or loaded.</summary>
    public IWeightInitializer? WeightInitializer { get; }

    /// <summary>
    /// The weights as a <c>K × outChannels</c> matrix (<c>K = inChannels/groups·kh·kw</c>) whose column-major storage is
    /// PyTorch's <c>[out, in/groups, kh, kw]</c> tensor; a live view, so writes change the layer.
    /// </summary>
    public Matrix<T> Weights => weight.Value;

    /// <summary>The <c>outChannels × 1</c> bias, or <see langword="null"/> without bias; a live view.</summary>
    public Matrix<T>? Bias => bias?.Value;

    /// <summary>The shape of the input samples the layer is connected to, or <see langword="null"/> before a network connects it.</summary>
    public Shape? ConnectedInputShape => connectedShape;

    /// <summary>Tests force a number of samples per chunk on the calling thread; <see langword="null"/> for the automatic choice.</summary>
    internal static int? ForcedSamplesPerChunk
    {
        get => forcedSamplesPerChunk;
        set => forcedSamplesPerChunk = value;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>Any <c>(InChannels, height, width)</c> whose padded size fits the dilated kernel.</summary>
    /// <inheritdoc />
    public Shape? InputShape => null;

    /// <inheritdoc />
    public IReadOnlyList<Parameter<T>> Parameters { get; }

    /// <summary>PyTorch's fan-in, <c>inChannels/groups·kh·kw</c>.</summary>
    private int FanIn => tapCount;

    /// <summary>PyTorch's fan-out, <c>outChannels·kh·kw</c>.</summary>
    private int FanOut => checked(OutChannels * KernelSize.Height * KernelSize.Width);

    private int InputSize => InChannels * inputHeight * inputWidth;

    private int Positions => outputHeight * outputWidth;

    /// <summary><c>(C, H, W)</c> gives <c>(outChannels, H_o, W_o)</c>.</summary>
    /// <inheritdoc />
    public Shape GetOutputShape(Shape inputShape)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        if (inputShape.Rank != 3 || inputShape[0] != InChannels)
        {
            string hint = inputShape.Rank == 3
                ? $" ({inputShape[0]} channels instead of {InChannels})"
                : " (a convolution needs images: give the network its input shape, e.g. Shape.Of(channels, height, width))";
            throw new ArgumentException($"{Name}: expects input samples of shape ({InChannels}, height, width), got {inputShape}{hint}.", nameof(inputShape));
        }

        (long height, long width) = OutputSize(inputShape[1], inputShape[2]);
        if (height < 1 || width < 1)
        {
            throw new ArgumentException(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"{Name}: input samples of shape {inputShape}, padded to {inputShape[1] + padTop + padBottom}×{inputShape[2] + padLeft + padRight}, are smaller than the dilated kernel {Extent(KernelSize.Height, Dilation.Height)}×{Extent(KernelSize.Width, Dilation.Width)}: the output shape ({OutChannels}, {Math.Max(height, 0)}, {Math.Max(width, 0)}) would be empty."),
                nameof(inputShape));
        }

        // One sample's output and its im2col block (positions × taps) must fit the arrays the layer works in.
        long positions = height * width;
        if (height > int.MaxValue || width > int.MaxValue || OutChannels * positions > Array.MaxLength || positions * Math.Max(tapCount, groupOutputs) > MaxSampleElements)
        {
            throw new ArgumentException(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"{Name}: input samples of shape {inputShape} give {height}×{width} output positions; one sample's output or its {positions:N0} × {tapCount:N0} im2col block would exceed {MaxSampleElements:N0} elements."),
                nameof(inputShape));
        }

        return Shape.Of(OutChannels, (int)height, (int)width);
    }

    /// <summary>
    /// Records the input samples' height and width for <see cref="Forward"/>, <see cref="Backward(Matrix{T})"/> and
    /// <see cref="Predict"/>. A layer instance belongs to one network: connecting it again to another shape is refused.
    /// </summary>
    /// <inheritdoc />
    public Shape Connect(Shape inputShape)
    {
        Shape output = GetOutputShape(inputShape);
        if (connectedShape is not null && connectedShape != inputShape)
        {
            throw new ArgumentException(
                $"{Name}: already connected to input samples of shape {connectedShape}, so it cannot take {inputShape}; a layer instance belongs to one network (create another layer).",
                nameof(inputShape));
        }

        connectedShape = inputShape;
        inputHeight = inputShape[1];
        inputWidth = inputShape[2];
        outputHeight = output[1];
        outputWidth = output[2];
        BuildPaddedOffsets();
        return output;
    }

    /// <inheritdoc />
    public LayerConfig GetConfig() => new LayerConfig("conv2d")
        .With("in_channels", (long)InChannels)
        .With("out_channels", (long)OutChannels)
        .With("kernel_size", LayerSetting.FromIntegers([KernelSize.Height, KernelSize.Width]))
        .With("stride", LayerSetting.FromIntegers([Stride.Height, Stride.Width]))
        .With("padding", LayerSetting.FromIntegers([Padding.Height, Padding.Width]))
        .With("padding_same", Padding.IsSame)
        .With("dilation", LayerSetting.FromIntegers([Dilation.Height, Dilation.Width]))
        .With("groups", (long)Groups)
        .With("bias", HasBias);

    /// <summary>
    /// ONNX <c>Conv</c> with <c>kernel_shape</c>, <c>strides</c>, explicit <c>pads</c> <c>[top, left, bottom, right]</c>
    /// (or <c>auto_pad</c> SAME_UPPER for an undilated "same", which is the same padding), <c>dilations</c>, <c>group</c>, <c>W</c> <c>[out, in/groups, kh, kw]</c> (our storage as it is) and <c>B</c>.
    /// </summary>
    /// <inheritdoc />
    public OnnxForm ToOnnx()
    {
        OnnxForm form = OnnxForm.Operator("Conv")
            .WithAttribute("kernel_shape", [KernelSize.Height, KernelSize.Width])
            .WithAttribute("strides", [Stride.Height, Stride.Width]);

        // "same" (stride 1) is ONNX's SAME_UPPER exactly, and says so, so an import gives "same" back. ONNX Runtime
        // refuses SAME_UPPER with dilation, so a dilated "same" is written as its pads (imported as numbers when they
        // are equal on both sides, which compute the same).
        form = Padding.IsSame && Dilation == 1
            ? form.WithAttribute("auto_pad", "SAME_UPPER")
            : form.WithAttribute("pads", [padTop, padLeft, padBottom, padRight]);
        form.WithAttribute("dilations", [Dilation.Height, Dilation.Width])
            .WithAttribute("group", (long)Groups)
            .WithInitializer("weight", [OutChannels, groupInputs, KernelSize.Height, KernelSize.Width], LayerValues.ToDoubles(weight.ValueSpan));
        return bias is null ? form : form.WithInitializer("bias", [OutChannels], LayerValues.ToDoubles(bias.ValueSpan));
    }

    /// <inheritdoc />
    public Matrix<T> Forward(Matrix<T> input)
    {
        CheckInput(input, nameof(input));
        Matrix<T> output = outputs.Get(OutChannels * Positions, input.ColumnCount);
        if (UsesDirect)
        {
            DirectForward(DenseStorage.Of(input, nameof(input)), DenseStorage.Of(output, nameof(output)), input.ColumnCount);
            lastInput = input;
            return output;
        }

        if (!pointwise)
        {
            int rows = SamplesPerChunk(input.ColumnCount) * Positions;
            Grow(ref trainingColumns, checked(rows * tapCount));
            Grow(ref trainingProducts, rows * groupOutputs);
        }

        Compute(DenseStorage.Of(input, nameof(input)), DenseStorage.Of(output, nameof(output)), input.ColumnCount, trainingColumns, trainingProducts);
        lastInput = input;
        return output;
    }

    /// <inheritdoc />
    public Matrix<T> Backward(Matrix<T> outputGradient) => Backward(outputGradient, inputGradient: true)!;

    /// <summary>Backward for the parameter gradients only: the first layer of a network skips <c>∂L/∂x</c> and its col2im.</summary>
    /// <param name="outputGradient"><c>∂L/∂y</c>.</param>
    void IParameterGradients<T>.BackwardParameters(Matrix<T> outputGradient) => Backward(outputGradient, inputGradient: false);

    /// <inheritdoc />
    public void Predict(Matrix<T> input, Matrix<T> output) => PredictFused(input, output, FusedActivation.None);

    /// <summary>A following ReLU is applied as the output planes are stored (in the kernel's store on the direct path).</summary>
    bool IActivationFusing<T>.CanFuse(FusedActivation activation) => activation is FusedActivation.None or FusedActivation.Relu;

    /// <inheritdoc />
    void IActivationFusing<T>.Predict(Matrix<T> input, Matrix<T> output, FusedActivation activation) => PredictFused(input, output, activation);

    private void PredictFused(Matrix<T> input, Matrix<T> output, FusedActivation activation)
    {
        bool relu = activation == FusedActivation.Relu;
        CheckInput(input, nameof(input));
        LayerErrors.CheckSameShape(Name, "the output", OutChannels * Positions, input.ColumnCount, output, nameof(output));
        if (ReferenceEquals(input, output))
        {
            throw new ArgumentException($"{Name}: the output must not be the input matrix.", nameof(output));
        }

        if (UsesDirect)
        {
            DirectPredict(DenseStorage.Of(input, nameof(input)), DenseStorage.Of(output, nameof(output)), input.ColumnCount, relu);
            return;
        }

        // Rented per call, so concurrent calls share nothing.
        int rows = pointwise ? 0 : SamplesPerChunk(input.ColumnCount) * Positions;
        T[] columns = pointwise ? [] : ArrayPool<T>.Shared.Rent(checked(rows * tapCount));
        T[] products = pointwise ? [] : ArrayPool<T>.Shared.Rent(rows * groupOutputs);
        try
        {
            Compute(DenseStorage.Of(input, nameof(input)), DenseStorage.Of(output, nameof(output)), input.ColumnCount, columns, products, relu);
        }
        finally
        {
            if (!pointwise)
            {
                ArrayPool<T>.Shared.Return(columns);
                ArrayPool<T>.Shared.Return(products);
            }
        }
    }

    /// <inheritdoc />
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Name[..^1]}, {weight.Length + (bias?.Length ?? 0):N0} parameters)");

    /// <summary>Builds the layer from its configuration with zero weights; the loader fills them in.</summary>
    /// <param name="config">The configuration.</param>
    internal static Conv2d<T> FromConfig(LayerConfig config)
    {
        Conv2dSize padding = PairSetting(config, "padding");
        return new(
            config.GetInt32("in_channels"),
            config.GetInt32("out_channels"),
            PairSetting(config, "kernel_size"),
            PairSetting(config, "stride"),
            config.GetBoolean("padding_same") ? Conv2dPadding.Same : Conv2dPadding.Of(padding.Height, padding.Width),
            PairSetting(config, "dilation"),
            config.GetInt32("groups"),
            config.GetBoolean("bias"));
    }

    /// <summary>
    /// Imports ONNX <c>Conv</c> on 2-D images: <c>W</c> <c>[out, in/group, kh, kw]</c>, optional <c>B</c>, strides,
    /// dilations, group, and <c>auto_pad</c> NOTSET (pads equal on both sides of an axis, or PyTorch's "same" pattern),
    /// VALID or SAME_UPPER (stride 1 only, which is PyTorch's "same").
    /// </summary>
    [OnnxImport("Conv")]
    internal static Conv2d<T> FromOnnx(OnnxNode node)
    {
        (double[] w, long[] dims) = node.GetConstant(1);
        if (dims.Length != 4 || dims.Any(d => d is < 1 or > int.MaxValue))
        {
            throw node.Error($"only 2-D convolutions are supported: W must be [out, in/group, kh, kw], its shape is [{string.Join(", ", dims)}]");
        }

        long group = node.GetInt("group", 1);
        if (group is < 1 or > int.MaxValue)
        {
            throw node.Error($"group must be ≥ 1, got {group}");
        }

        var kernel = new Conv2dSize((int)dims[2], (int)dims[3]);
        long[] kernelShape = [.. node.GetInts("kernel_shape", [dims[2], dims[3]])];
        if (kernelShape.Length != 2 || kernelShape[0] != dims[2] || kernelShape[1] != dims[3])
        {
            throw node.Error($"kernel_shape [{string.Join(", ", kernelShape)}] does not match W's [{dims[2]}, {dims[3]}]");
        }

        Conv2dSize stride = Pair(node, "strides");
        Conv2dSize dilation = Pair(node, "dilations");
        Conv2dPadding padding = node.GetText("auto_pad", "NOTSET") switch
        {
            "NOTSET" => ExplicitPadding(node, kernel, stride, dilation),
            "VALID" => 0,
            "SAME_UPPER" when stride == 1 => Conv2dPadding.Same,
            string mode => throw node.Error($"auto_pad {mode} is not supported (NOTSET, VALID, and SAME_UPPER with stride 1 are)"),
        };

        int outChannels = (int)dims[0];
        T[]? bias = null;
        if (node.HasInput(2))
        {
            (double[] b, long[] bDims) = node.GetConstant(2);
            if (bDims.Length != 1 || b.Length != outChannels)
            {
                throw node.Error($"B has shape [{string.Join(", ", bDims)}], expected [{outChannels}]");
            }

            bias = [.. b.Select(T.CreateChecked)];
        }

        return new Conv2d<T>(
            checked((int)(dims[1] * group)), outChannels, kernel, stride, padding, dilation, (int)group, [.. w.Select(T.CreateChecked)], bias);

        static Conv2dSize Pair(OnnxNode node, string name)
        {
            long[] values = [.. node.GetInts(name, [1, 1])];
            return values.Length == 2 && values.All(v => v is >= 1 and <= int.MaxValue)
                ? new Conv2dSize((int)values[0], (int)values[1])
                : throw node.Error($"{name} must be two integers ≥ 1 for a 2-D convolution, got [{string.Join(", ", values)}]");
        }
    }

    private static Conv2dPadding ExplicitPadding(OnnxNode node, Conv2dSize kernel, Conv2dSize stride, Conv2dSize dilation)
    {
        long[] pads = [.. node.GetInts("pads", [0, 0, 0, 0])];
        if (pads.Length != 4 || pads.Any(p => p is < 0 or > int.MaxValue))
        {
            throw node.Error($"pads must be four integers ≥ 0 [top, left, bottom, right], got [{string.Join(", ", pads)}]");
        }

        if (pads[0] == pads[2] && pads[1] == pads[3])
        {
            return Conv2dPadding.Of((int)pads[0], (int)pads[1]);
        }

        // PyTorch exports padding="same" with an even kernel as explicit pads, the extra row and column at the end.
        long totalHeight = (long)dilation.Height * (kernel.Height - 1);
        long totalWidth = (long)dilation.Width * (kernel.Width - 1);
        if (stride == 1 && pads[0] == totalHeight / 2 && pads[2] == totalHeight - (totalHeight / 2)
            && pads[1] == totalWidth / 2 && pads[3] == totalWidth - (totalWidth / 2))
        {
            return Conv2dPadding.Same;
        }

        throw node.Error($"pads [{string.Join(", ", pads)}] differ between the two sides of an axis; only equal pads or the 'same' pattern (stride 1) are supported");
    }

    private static Conv2dSize PairSetting(LayerConfig config, string name)
    {
        int[] values = config.GetInt32Array(name);
        return values.Length == 2
            ? new Conv2dSize(values[0], values[1])
            : throw new ArgumentException($"conv2d: the setting '{name}' must hold 2 integers (height, width), got {values.Length}.", nameof(config));
    }

    private static void Positive(int value, string what, string parameterName)
    {
        if (value < 1)
        {
            throw new ArgumentOutOfRangeException(parameterName, value, $"Conv2d: {what} must be ≥ 1, got {value}.");
        }
    }

    private static void PositivePair(Conv2dSize value, string what, string parameterName)
    {
        if (value.Height < 1 || value.Width < 1)
        {
            throw new ArgumentOutOfRangeException(parameterName, value, $"Conv2d: {what} must be ≥ 1 on both axes, got {value}.");
        }
    }

    private static long Extent(int kernel, int dilation) => ((long)dilation * (kernel - 1)) + 1;

    private static void Grow(ref T[] buffer, int length)
    {
        if (buffer.Length < length)
        {
            buffer = new T[length];
        }
    }

    /// <summary>
    /// The first output index whose input index <c>o·stride + offset</c> is ≥ 0, and one past the last whose input index
    /// is below <paramref name="size"/>, clamped to <c>[0, outputs]</c>.
    /// </summary>
    private static (int First, int End) ValidRange(int offset, int stride, int size, int outputs)
    {
        int first = offset >= 0 ? 0 : (-offset + stride - 1) / stride;
        int end = size - 1 - offset >= 0 ? ((size - 1 - offset) / stride) + 1 : 0;
        first = Math.Min(first, outputs);
        end = Math.Clamp(end, first, outputs);
        return (first, end);
    }

    private (long Height, long Width) OutputSize(int height, int width)
    {
        long paddedHeight = (long)height + padTop + padBottom;
        long paddedWidth = (long)width + padLeft + padRight;
        long extentHeight = Extent(KernelSize.Height, Dilation.Height);
        long extentWidth = Extent(KernelSize.Width, Dilation.Width);
        return (
            paddedHeight < extentHeight ? 0 : ((paddedHeight - extentHeight) / Stride.Height) + 1,
            paddedWidth < extentWidth ? 0 : ((paddedWidth - extentWidth) / Stride.Width) + 1);
    }

    private string BuildName()
    {
        var text = new System.Text.StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"Conv2d({InChannels} → {OutChannels}, {KernelSize.Height}×{KernelSize.Width}");
        if (Stride != 1)
        {
            text.Append(CultureInfo.InvariantCulture, $", stride {Stride}");
        }

        if (Padding.IsSame || Padding.Height != 0 || Padding.Width != 0)
        {
            text.Append(", padding ").Append(Padding.ToString());
        }

        if (Dilation != 1)
        {
            text.Append(CultureInfo.InvariantCulture, $", dilation {Dilation}");
        }

        if (Groups != 1)
        {
            text.Append(CultureInfo.InvariantCulture, $", groups {Groups}");
        }

        if (!HasBias)
        {
            text.Append(", no bias");
        }

        return text.Append(')').ToString();
    }

    private void CheckInput(Matrix<T> input, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(input, parameterName);
        if (connectedShape is null)
        {
            throw new InvalidOperationException(
                $"{Name}: not connected to an input shape; build a network with the input shape, e.g. new Network<T>(Shape.Of({InChannels}, height, width), …), or call Connect.");
        }

        if (input.RowCount != InputSize)
        {
            throw new ArgumentException(
                $"{Name}: expected an input of {InputSize} rows (samples of shape {connectedShape}) × batch, got {LayerErrors.Shape(input)}.", parameterName);
        }

        if (input.ColumnCount == 0)
        {
            throw new ArgumentException($"{Name}: the input batch is empty ({LayerErrors.Shape(input)}).", parameterName);
        }
    }

    /// <summary>
    /// How many samples share one im2col buffer and one product: enough for about <see cref="ChunkRows"/> rows (output
    /// positions), so small images still make large products, within <see cref="MaxChunkElements"/>. Depends on the
    /// shapes only, never on the thread count.
    /// </summary>
    internal int SamplesPerChunk(int batch)
    {
        int positions = Positions;
        int samples = ForcedSamplesPerChunk ?? (int)Math.Min((ChunkRows + positions - 1) / positions, MaxChunkElements / ((long)positions * Math.Max(tapCount, groupOutputs)));
        return Math.Clamp(samples, 1, batch);
    }

    /// <summary>Y = cols·W_g (+ b) per chunk of samples and group; with <paramref name="relu"/>, <c>max(Y, 0)</c> as each sample's planes are written.</summary>
    private void Compute(T[] x, T[] y, int batch, T[] columns, T[] products, bool relu = false)
    {
        int positions = Positions;
        int inputSize = InputSize;
        int planeSize = inputHeight * inputWidth;
        int outputSize = OutChannels * positions;
        ReadOnlySpan<T> w = weight.ValueSpan;
        if (pointwise)
        {
            // The input's channel planes are the P × K matrix already: one product per sample and group.
            for (int n = 0; n < batch; n++)
            {
                for (int g = 0; g < Groups; g++)
                {
                    ReadOnlySpan<T> cols = x.AsSpan((n * inputSize) + (g * groupInputs * planeSize), groupInputs * planeSize);
                    Span<T> groupOutput = y.AsSpan((n * outputSize) + (g * groupOutputs * positions), groupOutputs * positions);
                    T beta = T.Zero;
                    if (bias is not null)
                    {
                        ReadOnlySpan<T> b = bias.ValueSpan.Slice(g * groupOutputs, groupOutputs);
                        for (int o = 0; o < groupOutputs; o++)
                        {
                            groupOutput.Slice(o * positions, positions).Fill(b[o]);
                        }

                        beta = T.One;
                    }

                    Gemm.Multiply(false, false, positions, groupOutputs, tapCount, T.One, cols, positions, w.Slice(g * groupOutputs * tapCount, groupOutputs * tapCount), tapCount, beta, groupOutput, positions);
                    if (relu)
                    {
                        TensorPrimitives.Max(groupOutput, T.Zero, groupOutput);
                    }
                }
            }

            return;
        }

        int chunk = SamplesPerChunk(batch);
        for (int first = 0; first < batch; first += chunk)
        {
            int samples = Math.Min(chunk, batch - first);
            int rows = samples * positions;
            for (int g = 0; g < Groups; g++)
            {
                for (int s = 0; s < samples; s++)
                {
                    Im2Col(x.AsSpan(((first + s) * inputSize) + (g * groupInputs * planeSize), groupInputs * planeSize), columns, rows, s * positions);
                }

                // Z = cols·W_g, (samples·P) × C_out/g; each sample's P rows of a column are its output plane.
                Span<T> z = products.AsSpan(0, rows * groupOutputs);
                Gemm.Multiply(false, false, rows, groupOutputs, tapCount, T.One, columns, rows, w.Slice(g * groupOutputs * tapCount, groupOutputs * tapCount), tapCount, T.Zero, z, rows);
                for (int s = 0; s < samples; s++)
                {
                    for (int o = 0; o < groupOutputs; o++)
                    {
                        ReadOnlySpan<T> plane = z.Slice((o * rows) + (s * positions), positions);
                        Span<T> target = y.AsSpan(((first + s) * outputSize) + (((g * groupOutputs) + o) * positions), positions);
                        if (bias is null)
                        {
                            plane.CopyTo(target);
                        }
                        else
                        {
                            TensorPrimitives.Add(plane, bias.ValueSpan[(g * groupOutputs) + o], target);
                        }

                        if (relu)
                        {
                            TensorPrimitives.Max(target, T.Zero, target);
                        }
                    }
                }
            }
        }
    }

    private Matrix<T>? Backward(Matrix<T> outputGradient, bool inputGradient)
    {
        Matrix<T> input = lastInput ?? throw LayerErrors.BackwardBeforeForward(Name);
        int batch = input.ColumnCount;
        int positions = Positions;
        int outputSize = OutChannels * positions;
        LayerErrors.CheckSameShape(Name, "the output gradient", outputSize, batch, outputGradient, nameof(outputGradient));
        T[] dy = DenseStorage.Of(outputGradient, nameof(outputGradient));
        T[] x = DenseStorage.Of(input, nameof(input));
        int inputSize = InputSize;
        int planeSize = inputHeight * inputWidth;

        if (bias is not null)
        {
            Span<T> db = bias.GradientSpan;
            db.Clear();
            for (int n = 0; n < batch; n++)
            {
                for (int o = 0; o < OutChannels; o++)
                {
                    db[o] += TensorPrimitives.Sum<T>(dy.AsSpan((n * outputSize) + (o * positions), positions));
                }
            }
        }

        Matrix<T>? result = inputGradient ? inputGradients.Get(inputSize, batch) : null;
        T[]? dx = result is null ? null : DenseStorage.Of(result, nameof(inputGradient));
        if (UsesDirect)
        {
            // ∂W directly for few taps, by the GEMM otherwise (for many taps the dot-product kernel measured slower); ∂X by the direct kernels.
            if (tapCount <= SmallTapLimit || (PaddedForward(ComputeSettings.ActivePath) && ForcedDirectWeightGradient == true))
            {
                DirectWeightGradient(x, dy, batch);
            }
            else
            {
                GemmBackward(x, dy, batch, null);
            }

            if (dx is not null)
            {
                DirectInputGradient(dy, dx, batch);
            }

            return result;
        }

        GemmBackward(x, dy, batch, dx);
        return result;
    }

    /// <summary>∂W (and ∂X when <paramref name="dx"/> is given) by im2col + GEMM per chunk of samples.</summary>
    private void GemmBackward(T[] x, T[] dy, int batch, T[]? dx)
    {
        int positions = Positions;
        int outputSize = OutChannels * positions;
        int inputSize = InputSize;
        int planeSize = inputHeight * inputWidth;
        Span<T> dw = weight.GradientSpan;
        dw.Clear();
        ReadOnlySpan<T> w = weight.ValueSpan;
        if (pointwise)
        {
            for (int n = 0; n < batch; n++)
            {
                for (int g = 0; g < Groups; g++)
                {
                    int inputOffset = (n * inputSize) + (g * groupInputs * planeSize);
                    ReadOnlySpan<T> cols = x.AsSpan(inputOffset, groupInputs * planeSize);
                    ReadOnlySpan<T> groupGradient = dy.AsSpan((n * outputSize) + (g * groupOutputs * positions), groupOutputs * positions);

                    // ∂W_g += colsᵀ·∂Y, ∂X = ∂Y·W_gᵀ; fixed order over samples.
                    Gemm.Multiply(true, false, tapCount, groupOutputs, positions, T.One, cols, positions, groupGradient, positions, T.One, dw.Slice(g * groupOutputs * tapCount, groupOutputs * tapCount), tapCount);
                    if (dx is not null)
                    {
                        Gemm.Multiply(false, true, positions, tapCount, groupOutputs, T.One, groupGradient, positions, w.Slice(g * groupOutputs * tapCount, groupOutputs * tapCount), tapCount, T.Zero, dx.AsSpan(inputOffset, groupInputs * planeSize), positions);
                    }
                }
            }

            return;
        }

        int chunk = SamplesPerChunk(batch);
        Grow(ref trainingColumns, chunk * positions * tapCount);
        Grow(ref trainingProducts, chunk * positions * groupOutputs);
        if (dx is not null)
        {
            dx.AsSpan().Clear();
            Grow(ref trainingColumnGradients, chunk * positions * tapCount);
        }

        for (int first = 0; first < batch; first += chunk)
        {
            int samples = Math.Min(chunk, batch - first);
            int rows = samples * positions;
            for (int g = 0; g < Groups; g++)
            {
                ReadOnlySpan<T> wg = w.Slice(g * groupOutputs * tapCount, groupOutputs * tapCount);
                Span<T> dz = trainingProducts.AsSpan(0, rows * groupOutputs);
                for (int s = 0; s < samples; s++)
                {
                    Im2Col(x.AsSpan(((first + s) * inputSize) + (g * groupInputs * planeSize), groupInputs * planeSize), trainingColumns, rows, s * positions);
                    for (int o = 0; o < groupOutputs; o++)
                    {
                        dy.AsSpan(((first + s) * outputSize) + (((g * groupOutputs) + o) * positions), positions).CopyTo(dz.Slice((o * rows) + (s * positions), positions));
                    }
                }

                // ∂W_g += colsᵀ·∂Z  (K × samples·P)·(samples·P × C_out/g); fixed order over chunks.
                Gemm.Multiply(true, false, tapCount, groupOutputs, rows, T.One, trainingColumns, rows, dz, rows, T.One, dw.Slice(g * groupOutputs * tapCount, groupOutputs * tapCount), tapCount);
                if (dx is null)
                {
                    continue;
                }

                // ∂cols = ∂Z·W_gᵀ  (samples·P × C_out/g)·(C_out/g × K), then scattered back onto each sample's input.
                Span<T> columnGradients = trainingColumnGradients.AsSpan(0, rows * tapCount);
                Gemm.Multiply(false, true, rows, tapCount, groupOutputs, T.One, dz, rows, wg, tapCount, T.Zero, columnGradients, rows);
                for (int s = 0; s < samples; s++)
                {
                    AddColumns(columnGradients, rows, s * positions, dx.AsSpan(((first + s) * inputSize) + (g * groupInputs * planeSize), groupInputs * planeSize));
                }
            }
        }

    }

    /// <summary>
    /// im2col: copies one sample's group into rows <c>[offset, offset + P)</c> of the column-major <c>· × K</c> matrix
    /// <paramref name="cols"/> with leading dimension <paramref name="ld"/> (zeros where a tap falls on the padding).
    /// </summary>
    private void Im2Col(ReadOnlySpan<T> groupInput, Span<T> cols, int ld, int offset)
    {
        int positions = Positions;
        (int kh, int kw) = KernelSize.ToValueTuple();
        (int sh, int sw) = Stride.ToValueTuple();
        int k = 0;
        for (int c = 0; c < groupInputs; c++)
        {
            ReadOnlySpan<T> plane = groupInput.Slice(c * inputHeight * inputWidth, inputHeight * inputWidth);
            for (int i = 0; i < kh; i++)
            {
                int rowOffset = (i * Dilation.Height) - padTop;
                (int firstRow, int endRow) = ValidRange(rowOffset, sh, inputHeight, outputHeight);
                for (int j = 0; j < kw; j++, k++)
                {
                    int columnOffset = (j * Dilation.Width) - padLeft;
                    (int first, int end) = ValidRange(columnOffset, sw, inputWidth, outputWidth);
                    Span<T> column = cols.Slice((k * ld) + offset, positions);
                    column[..(firstRow * outputWidth)].Clear();
                    column[(endRow * outputWidth)..].Clear();
                    for (int oh = firstRow; oh < endRow; oh++)
                    {
                        // Input element of output column ow: row (oh·s_h + rowOffset), column (ow·s_w + columnOffset).
                        int start = (((oh * sh) + rowOffset) * inputWidth) + (first * sw) + columnOffset;
                        Span<T> target = column.Slice(oh * outputWidth, outputWidth);
                        target[..first].Clear();
                        target[end..].Clear();
                        if (sw == 1)
                        {
                            plane.Slice(start, end - first).CopyTo(target[first..end]);
                        }
                        else
                        {
                            for (int ow = first; ow < end; ow++, start += sw)
                            {
                                target[ow] = plane[start];
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>col2im: adds rows <c>[offset, offset + P)</c> of the column gradients (leading dimension <paramref name="ld"/>) onto the input elements they were copied from.</summary>
    private void AddColumns(ReadOnlySpan<T> columnGradients, int ld, int offset, Span<T> groupInputGradient)
    {
        int positions = Positions;
        (int kh, int kw) = KernelSize.ToValueTuple();
        (int sh, int sw) = Stride.ToValueTuple();
        int k = 0;
        for (int c = 0; c < groupInputs; c++)
        {
            Span<T> plane = groupInputGradient.Slice(c * inputHeight * inputWidth, inputHeight * inputWidth);
            for (int i = 0; i < kh; i++)
            {
                int rowOffset = (i * Dilation.Height) - padTop;
                (int firstRow, int endRow) = ValidRange(rowOffset, sh, inputHeight, outputHeight);
                for (int j = 0; j < kw; j++, k++)
                {
                    int columnOffset = (j * Dilation.Width) - padLeft;
                    (int first, int end) = ValidRange(columnOffset, sw, inputWidth, outputWidth);
                    if (end <= first)
                    {
                        continue;
                    }

                    ReadOnlySpan<T> column = columnGradients.Slice((k * ld) + offset, positions);
                    for (int oh = firstRow; oh < endRow; oh++)
                    {
                        int start = (((oh * sh) + rowOffset) * inputWidth) + (first * sw) + columnOffset;
                        ReadOnlySpan<T> source = column.Slice(oh * outputWidth, outputWidth);
                        if (sw == 1)
                        {
                            Span<T> run = plane.Slice(start, end - first);
                            TensorPrimitives.Add(run, source[first..end], run);
                        }
                        else
                        {
                            for (int ow = first; ow < end; ow++, start += sw)
                            {
                                plane[start] += source[ow];
                            }
                        }
                    }
                }
            }
        }
    }
}
