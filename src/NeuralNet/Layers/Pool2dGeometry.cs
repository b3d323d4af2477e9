using System.Globalization;

namespace NeuralNet.Layers;

/// <summary>
/// The window settings of a 2-D pooling layer (kernel, stride, padding) and the <c>(channels, height, width)</c> shape
/// it is connected to, shared by <see cref="MaxPool2d{T}"/> and <see cref="AvgPool2d{T}"/>: validation, output size,
/// configuration and ONNX attributes.
/// </summary>
/// <remarks>
/// Output size per spatial dimension, as PyTorch with <c>ceil_mode = False</c>: <c>⌊(H + 2p − k)/s⌋ + 1</c>. PyTorch
/// requires <c>p ≤ ⌊k/2⌋</c>; with it every window holds at least one element of the unpadded input.
/// Written only by the constructor and <see cref="Connect"/>, so concurrent <c>Predict</c> calls only read it.
/// </remarks>
internal sealed class Pool2dGeometry
{
    public Pool2dGeometry(string layer, (int Height, int Width) kernel, (int Height, int Width)? stride, (int Height, int Width) padding, string? extra = null)
    {
        (int Height, int Width) s = stride ?? kernel;
        if (kernel.Height < 1 || kernel.Width < 1)
        {
            throw new ArgumentOutOfRangeException("kernelSize", kernel, $"{layer}: the kernel size must be at least 1 × 1, got {Pair(kernel)}.");
        }

        if (s.Height < 1 || s.Width < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(stride), s, $"{layer}: the stride must be at least 1 × 1, got {Pair(s)}.");
        }

        if (padding.Height < 0 || padding.Width < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(padding), padding, $"{layer}: the padding must not be negative, got {Pair(padding)}.");
        }

        if (padding.Height > kernel.Height / 2 || padding.Width > kernel.Width / 2)
        {
            throw new ArgumentOutOfRangeException(
                nameof(padding),
                padding,
                $"{layer}: the padding {Pair(padding)} must be at most half the kernel {Pair(kernel)} in each direction (p ≤ ⌊k/2⌋, as PyTorch requires).");
        }

        Kernel = kernel;
        Stride = s;
        Padding = padding;
        string pad = padding == (0, 0) ? string.Empty : $", padding {Pair(padding)}";
        Name = $"{layer}(kernel {Pair(kernel)}, stride {Pair(s)}{pad}{extra})";
    }

    public (int Height, int Width) Kernel { get; }

    public (int Height, int Width) Stride { get; }

    public (int Height, int Width) Padding { get; }

    /// <summary>The layer's name with its settings, e.g. <c>MaxPool2d(kernel (2, 2), stride (2, 2))</c>; built once.</summary>
    public string Name { get; }

    /// <summary>The input shape recorded by <see cref="Connect"/>, or <see langword="null"/>.</summary>
    public Shape? Connected { get; private set; }

    public int Channels { get; private set; }

    public int Height { get; private set; }

    public int Width { get; private set; }

    public int OutputHeight { get; private set; }

    public int OutputWidth { get; private set; }

    /// <summary>Elements of one input sample, <c>C·H·W</c>.</summary>
    public int InputSize { get; private set; }

    /// <summary>Elements of one output sample, <c>C·OH·OW</c>.</summary>
    public int OutputSize { get; private set; }

    public static string Pair((int Height, int Width) pair) => string.Create(CultureInfo.InvariantCulture, $"({pair.Height}, {pair.Width})");

    /// <summary>A window of <paramref name="kernel"/> over a dimension of <paramref name="size"/> padded by <paramref name="padding"/>; −1 when it does not fit.</summary>
    public static int OutputLength(int size, int kernel, int stride, int padding)
    {
        long span = (long)size + (2L * padding) - kernel;
        return span < 0 ? -1 : (int)(span / stride) + 1;
    }

    public Shape GetOutputShape(Shape inputShape)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        if (inputShape.Rank != 3)
        {
            throw LayerErrors.WrongShape(Name, "shape (channels, height, width)", inputShape);
        }

        int outHeight = OutputLength(inputShape[1], Kernel.Height, Stride.Height, Padding.Height);
        int outWidth = OutputLength(inputShape[2], Kernel.Width, Stride.Width, Padding.Width);
        if (outHeight < 1 || outWidth < 1)
        {
            throw new ArgumentException(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"{Name}: the {Kernel.Height} × {Kernel.Width} window is larger than the padded input: samples of {inputShape} padded by {Pair(Padding)} are {inputShape[1] + (2 * Padding.Height)} × {inputShape[2] + (2 * Padding.Width)}."),
                nameof(inputShape));
        }

        return Shape.Of(inputShape[0], outHeight, outWidth);
    }

    public Shape Connect(Shape inputShape)
    {
        Shape output = GetOutputShape(inputShape);
        if (Connected is not null)
        {
            return Connected == inputShape
                ? output
                : throw new ArgumentException(
                    $"{Name}: already connected to input samples of {Connected}; it cannot also take {inputShape}. Use a new layer.", nameof(inputShape));
        }

        Channels = inputShape[0];
        Height = inputShape[1];
        Width = inputShape[2];
        OutputHeight = output[1];
        OutputWidth = output[2];
        InputSize = inputShape.Size;
        OutputSize = output.Size;
        Connected = inputShape;
        return output;
    }

    /// <summary>The error for a training or inference pass on a layer that does not know its input's height and width.</summary>
    public InvalidOperationException NotConnected() =>
        new($"{Name}: not connected to an input shape; build a Network with the input shape (e.g. Shape.Of(3, 32, 32)) or call Connect first, since a matrix row count does not tell height from width.");

    public LayerConfig AddTo(LayerConfig config) => config
        .With("kernel", LayerSetting.FromIntegers([Kernel.Height, Kernel.Width]))
        .With("stride", LayerSetting.FromIntegers([Stride.Height, Stride.Width]))
        .With("padding", LayerSetting.FromIntegers([Padding.Height, Padding.Width]));

    public OnnxForm AddTo(OnnxForm form) => form
        .WithAttribute("kernel_shape", [Kernel.Height, Kernel.Width])
        .WithAttribute("strides", [Stride.Height, Stride.Width])
        .WithAttribute("pads", [Padding.Height, Padding.Width, Padding.Height, Padding.Width]);

    /// <summary>A two-integer setting (<c>kernel</c>, <c>stride</c>, <c>padding</c>) of a configuration.</summary>
    public static (int Height, int Width) ReadPair(LayerConfig config, string name)
    {
        int[] values = config.GetInt32Array(name);
        return values.Length == 2
            ? (values[0], values[1])
            : throw new ArgumentException($"{config.Kind}: the setting '{name}' must hold 2 integers (height, width), got {config.Get(name)}.", nameof(config));
    }

    /// <summary>
    /// Reads a 2-D ONNX pooling node's window (kernel_shape, strides with ONNX's default 1, symmetric pads), refusing
    /// what the layers do not compute: ceil_mode 1, dilations other than 1, auto_pad SAME_*, asymmetric pads.
    /// </summary>
    public static ((int Height, int Width) Kernel, (int Height, int Width) Stride, (int Height, int Width) Padding) ReadOnnx(OnnxNode node)
    {
        IReadOnlyList<long> kernel = node.GetInts("kernel_shape", []);
        if (kernel.Count != 2)
        {
            throw node.Error($"kernel_shape must hold 2 values (a 2-D pooling over [N, C, H, W]), got [{string.Join(", ", kernel)}]");
        }

        IReadOnlyList<long> strides = node.GetInts("strides", [1, 1]);
        IReadOnlyList<long> pads = node.GetInts("pads", [0, 0, 0, 0]);
        IReadOnlyList<long> dilations = node.GetInts("dilations", [1, 1]);
        string autoPad = node.GetText("auto_pad", "NOTSET");
        if (strides.Count != 2 || pads.Count != 4 || dilations.Count != 2)
        {
            throw node.Error($"expected 2 strides, 4 pads and 2 dilations, got [{string.Join(", ", strides)}], [{string.Join(", ", pads)}] and [{string.Join(", ", dilations)}]");
        }

        if (node.GetInt("ceil_mode", 0) != 0)
        {
            throw node.Error("ceil_mode = 1 is not supported (PyTorch's default ceil_mode = False rounds the output size down)");
        }

        if (dilations[0] != 1 || dilations[1] != 1)
        {
            throw node.Error($"dilations [{string.Join(", ", dilations)}] are not supported, only 1");
        }

        if (autoPad is not ("NOTSET" or "VALID"))
        {
            throw node.Error($"auto_pad = {autoPad} is not supported; give explicit pads");
        }

        if (pads[0] != pads[2] || pads[1] != pads[3])
        {
            throw node.Error($"pads [{string.Join(", ", pads)}] are asymmetric; only equal padding at both ends (PyTorch's padding) is supported");
        }

        return (Checked(node, kernel[0], kernel[1]), Checked(node, strides[0], strides[1]), autoPad == "VALID" ? (0, 0) : Checked(node, pads[0], pads[1]));

        static (int, int) Checked(OnnxNode node, long height, long width) =>
            height is >= int.MinValue and <= int.MaxValue && width is >= int.MinValue and <= int.MaxValue
                ? ((int)height, (int)width)
                : throw node.Error($"the value ({height}, {width}) is out of range");
    }
}
