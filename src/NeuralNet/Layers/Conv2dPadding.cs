using System.Globalization;

namespace NeuralNet.Layers;

/// <summary>
/// The zero padding of a <see cref="Conv2d{T}"/>, as PyTorch's <c>padding</c> argument: numbers (the same on both sides
/// of each axis) or <see cref="Same"/>.
/// </summary>
/// <remarks>
/// An <see cref="int"/> converts to equal padding on both axes and a <c>(height, width)</c> pair to those numbers, so
/// <c>padding: 1</c>, <c>padding: (1, 2)</c> and <c>padding: Conv2dPadding.Same</c> all read naturally. The default
/// value is no padding.
/// </remarks>
public readonly struct Conv2dPadding : IEquatable<Conv2dPadding>
{
    private Conv2dPadding(int height, int width, bool isSame)
    {
        Height = height;
        Width = width;
        IsSame = isSame;
    }

    /// <summary>
    /// PyTorch's <c>padding="same"</c>: the output has the input's height and width (stride 1 only). The total padding
    /// of an axis is <c>dilation·(kernel − 1)</c>, half of it (rounded down) at the top/left and the rest at the
    /// bottom/right, so an even kernel gets its extra row and column at the bottom and right.
    /// </summary>
    public static Conv2dPadding Same { get; } = new(0, 0, isSame: true);

    /// <summary>Rows of zeros added at the top and at the bottom (0 for <see cref="Same"/>).</summary>
    public int Height { get; }

    /// <summary>Columns of zeros added at the left and at the right (0 for <see cref="Same"/>).</summary>
    public int Width { get; }

    /// <summary>Whether this is <see cref="Same"/>.</summary>
    public bool IsSame { get; }

    /// <summary>Padding by numbers (checked by the layer: each must be ≥ 0).</summary>
    /// <param name="height">Rows added at the top and at the bottom.</param>
    /// <param name="width">Columns added at the left and at the right.</param>
    public static Conv2dPadding Of(int height, int width) => new(height, width, isSame: false);

    /// <summary>Equal padding on both axes.</summary>
    /// <param name="padding">Rows and columns added on every side.</param>
    public static implicit operator Conv2dPadding(int padding) => Of(padding, padding);

    /// <summary>Padding of <c>(height, width)</c>.</summary>
    /// <param name="padding">Rows added at top and bottom, columns added at left and right.</param>
    public static implicit operator Conv2dPadding((int Height, int Width) padding) => Of(padding.Height, padding.Width);

    /// <summary>Whether two paddings are equal.</summary>
    public static bool operator ==(Conv2dPadding left, Conv2dPadding right) => left.Equals(right);

    /// <summary>Whether two paddings differ.</summary>
    public static bool operator !=(Conv2dPadding left, Conv2dPadding right) => !left.Equals(right);

    /// <summary>Equal padding on both axes (the named form of the conversion from <see cref="int"/>).</summary>
    /// <param name="padding">Rows and columns added on every side.</param>
    public static Conv2dPadding FromInt32(int padding) => Of(padding, padding);

    /// <summary>Padding of <c>(height, width)</c> (the named form of the conversion from a pair).</summary>
    /// <param name="padding">Rows added at top and bottom, columns added at left and right.</param>
    public static Conv2dPadding FromValueTuple((int Height, int Width) padding) => Of(padding.Height, padding.Width);

    /// <inheritdoc />
    public bool Equals(Conv2dPadding other) => Height == other.Height && Width == other.Width && IsSame == other.IsSame;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Conv2dPadding other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Height, Width, IsSame);

    /// <summary><c>same</c> or <c>(height, width)</c>.</summary>
    public override string ToString() =>
        IsSame ? "same" : string.Create(CultureInfo.InvariantCulture, $"({Height}, {Width})");
}
