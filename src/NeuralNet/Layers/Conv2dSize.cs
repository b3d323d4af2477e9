using System.Globalization;

namespace NeuralNet.Layers;

/// <summary>
/// A <c>(height, width)</c> pair of a <see cref="Conv2d{T}"/>: its kernel size, stride or dilation. An <see cref="int"/>
/// converts to the same value on both axes and a <c>(height, width)</c> tuple to that pair, as PyTorch accepts
/// <c>kernel_size=3</c> or <c>kernel_size=(3, 5)</c>.
/// </summary>
/// <remarks>The layer checks the values (each ≥ 1); the pair itself holds any integers.</remarks>
public readonly struct Conv2dSize : IEquatable<Conv2dSize>
{
    /// <summary>A pair of values.</summary>
    /// <param name="height">The value along the height (rows).</param>
    /// <param name="width">The value along the width (columns).</param>
    public Conv2dSize(int height, int width)
    {
        Height = height;
        Width = width;
    }

    /// <summary>The value along the height (rows).</summary>
    public int Height { get; }

    /// <summary>The value along the width (columns).</summary>
    public int Width { get; }

    /// <summary>The same value on both axes.</summary>
    /// <param name="value">The value.</param>
    public static implicit operator Conv2dSize(int value) => new(value, value);

    /// <summary>A <c>(height, width)</c> tuple.</summary>
    /// <param name="value">The pair.</param>
    public static implicit operator Conv2dSize((int Height, int Width) value) => new(value.Height, value.Width);

    /// <summary>Whether two pairs are equal.</summary>
    public static bool operator ==(Conv2dSize left, Conv2dSize right) => left.Equals(right);

    /// <summary>Whether two pairs differ.</summary>
    public static bool operator !=(Conv2dSize left, Conv2dSize right) => !left.Equals(right);

    /// <summary>The same value on both axes (the named form of the conversion from <see cref="int"/>).</summary>
    /// <param name="value">The value.</param>
    public static Conv2dSize FromInt32(int value) => new(value, value);

    /// <summary>A <c>(height, width)</c> tuple (the named form of the conversion).</summary>
    /// <param name="value">The pair.</param>
    public static Conv2dSize FromValueTuple((int Height, int Width) value) => new(value.Height, value.Width);

    /// <summary>The pair as a tuple.</summary>
    public (int Height, int Width) ToValueTuple() => (Height, Width);

    /// <inheritdoc />
    public bool Equals(Conv2dSize other) => Height == other.Height && Width == other.Width;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Conv2dSize other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Height, Width);

    /// <summary>The pair as written in messages, e.g. <c>(3, 5)</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"({Height}, {Width})");
}
