using System.Globalization;

namespace NeuralNet;

/// <summary>
/// The shape of one sample: <c>(features)</c>, <c>(channels, height, width)</c>, <c>(steps, features)</c>, …
/// Immutable; compared by value.
/// </summary>
/// <remarks>
/// A minibatch stays a matrix with one sample per column; a sample's <see cref="Size"/> elements fill its column in
/// row-major order of the shape (for <c>(channels, height, width)</c>: channel by channel, each row by row, the memory
/// order of one sample of PyTorch's NCHW). So reshaping, e.g. flattening an image, never moves data: it is the same
/// column read with another shape.
/// </remarks>
/// <example>
/// <code>
/// Shape image = Shape.Of(1, 28, 28);   // (1, 28, 28), 784 elements per sample
/// Shape features = Shape.Vector(10);   // (10)
/// </code>
/// </example>
public sealed class Shape : IEquatable<Shape>
{
    private readonly int[] dimensions;

    private Shape(int[] dimensions)
    {
        this.dimensions = dimensions;
        long size = 1;
        foreach (int d in dimensions)
        {
            size *= d;
            if (size > Array.MaxLength)
            {
                throw new ArgumentException($"The shape {Format(dimensions)} has more than {Array.MaxLength:N0} elements per sample.", nameof(dimensions));
            }
        }

        Size = (int)size;
    }

    /// <summary>The number of dimensions: 1 for a feature vector, 3 for an image.</summary>
    public int Rank => dimensions.Length;

    /// <summary>The number of elements in one sample: the product of the dimensions, the row count of a minibatch.</summary>
    public int Size { get; }

    /// <summary>The dimensions, outermost first.</summary>
    public IReadOnlyList<int> Dimensions => dimensions;

    /// <summary>The size of dimension <paramref name="index"/> (0 is the outermost).</summary>
    /// <param name="index">A dimension index in [0, <see cref="Rank"/>).</param>
    public int this[int index] => dimensions[index];

    /// <summary>A shape from its dimensions, outermost first.</summary>
    /// <param name="dimensions">One or more sizes, each ≥ 1.</param>
    /// <exception cref="ArgumentException">No dimension, a dimension below 1, or more elements than an array holds.</exception>
    public static Shape Of(params ReadOnlySpan<int> dimensions)
    {
        if (dimensions.IsEmpty)
        {
            throw new ArgumentException("A shape needs at least one dimension.", nameof(dimensions));
        }

        foreach (int d in dimensions)
        {
            if (d < 1)
            {
                throw new ArgumentException($"Every dimension of a shape must be at least 1, got {Format(dimensions)}.", nameof(dimensions));
            }
        }

        return new Shape(dimensions.ToArray());
    }

    /// <summary>The shape <c>(features)</c> of a plain feature vector.</summary>
    /// <param name="features">The number of features, ≥ 1.</param>
    public static Shape Vector(int features) => Of(features);

    /// <inheritdoc />
    public bool Equals(Shape? other) => other is not null && dimensions.AsSpan().SequenceEqual(other.dimensions);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as Shape);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = default(HashCode);
        foreach (int d in dimensions)
        {
            hash.Add(d);
        }

        return hash.ToHashCode();
    }

    /// <summary>The shape as written in messages and summaries, e.g. <c>(32, 14, 14)</c>.</summary>
    public override string ToString() => Format(dimensions);

    /// <summary>Whether two shapes are equal (both <see langword="null"/> counts as equal).</summary>
    public static bool operator ==(Shape? left, Shape? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Whether two shapes differ.</summary>
    public static bool operator !=(Shape? left, Shape? right) => !(left == right);

    private static string Format(ReadOnlySpan<int> dimensions)
    {
        var parts = new string[dimensions.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            parts[i] = dimensions[i].ToString(CultureInfo.InvariantCulture);
        }

        return $"({string.Join(", ", parts)})";
    }
}
