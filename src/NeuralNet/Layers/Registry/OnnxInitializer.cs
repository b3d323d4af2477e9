namespace NeuralNet.Layers;

/// <summary>
/// A constant input of an exported ONNX node: a name suffix, row-major dimensions and the values, either numbers
/// (written as float32) or integers (written as int64, for index and shape operands such as Slice's starts).
/// </summary>
public sealed class OnnxInitializer
{
    /// <summary>Creates a float initializer.</summary>
    /// <param name="name">A suffix for the initializer's name, e.g. <c>"weight"</c>.</param>
    /// <param name="dimensions">The dimensions, each ≥ 1.</param>
    /// <param name="values">The values in row-major order; exactly the product of the dimensions.</param>
    /// <exception cref="ArgumentException">The values do not fill the dimensions.</exception>
    public OnnxInitializer(string name, long[] dimensions, double[] values)
        : this(name, dimensions, values, [], values?.Length ?? 0)
    {
    }

    /// <summary>Creates an int64 initializer (through <see cref="OnnxForm.WithIntegerInitializer"/>).</summary>
    /// <param name="name">A suffix for the initializer's name, e.g. <c>"starts"</c>.</param>
    /// <param name="dimensions">The dimensions, each ≥ 1 (none for a scalar).</param>
    /// <param name="integers">The values in row-major order; exactly the product of the dimensions.</param>
    /// <exception cref="ArgumentException">The values do not fill the dimensions.</exception>
    internal OnnxInitializer(string name, long[] dimensions, long[] integers)
        : this(name, dimensions, [], integers, integers?.Length ?? 0)
    {
        IsInteger = true;
    }

    private OnnxInitializer(string name, long[] dimensions, double[]? values, long[]? integers, int length)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(dimensions);
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(integers);
        long count = 1;
        foreach (long d in dimensions)
        {
            // Checked against the values as it grows, so dimensions whose product overflows a long are refused too.
            count = d >= 1 && d <= length ? count * d : throw new ArgumentException(
                $"Initializer '{name}': dimensions [{string.Join(", ", dimensions)}] must each be ≥ 1 and fit the {length} values.", nameof(dimensions));
            if (count > length)
            {
                break;
            }
        }

        if (count != length)
        {
            throw new ArgumentException($"Initializer '{name}': {length} values do not fill dimensions [{string.Join(", ", dimensions)}].", nameof(values));
        }

        Name = name;
        Dimensions = dimensions;
        Values = values;
        IntegerValues = integers;
    }

    /// <summary>The name suffix.</summary>
    public string Name { get; }

    /// <summary>The dimensions.</summary>
    public IReadOnlyList<long> Dimensions { get; }

    /// <summary>Whether the values are int64 (<see cref="IntegerValues"/>) rather than numbers (<see cref="Values"/>).</summary>
    public bool IsInteger { get; }

    /// <summary>The values in row-major order (empty for an int64 initializer).</summary>
    public IReadOnlyList<double> Values { get; }

    /// <summary>The int64 values in row-major order (empty for a float initializer).</summary>
    public IReadOnlyList<long> IntegerValues { get; }
}
