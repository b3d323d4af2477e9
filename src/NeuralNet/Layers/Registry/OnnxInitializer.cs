namespace NeuralNet.Layers;

/// <summary>A constant input of an exported ONNX node: a name suffix, row-major dimensions and the values.</summary>
public sealed class OnnxInitializer
{
    /// <summary>Creates the initializer.</summary>
    /// <param name="name">A suffix for the initializer's name, e.g. <c>"weight"</c>.</param>
    /// <param name="dimensions">The dimensions, each ≥ 1.</param>
    /// <param name="values">The values in row-major order; exactly the product of the dimensions.</param>
    /// <exception cref="ArgumentException">The values do not fill the dimensions.</exception>
    public OnnxInitializer(string name, long[] dimensions, double[] values)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(dimensions);
        ArgumentNullException.ThrowIfNull(values);
        long count = 1;
        foreach (long d in dimensions)
        {
            // Checked against the values as it grows, so dimensions whose product overflows a long are refused too.
            count = d >= 1 && d <= values.Length ? count * d : throw new ArgumentException(
                $"Initializer '{name}': dimensions [{string.Join(", ", dimensions)}] must each be ≥ 1 and fit the {values.Length} values.", nameof(dimensions));
            if (count > values.Length)
            {
                break;
            }
        }

        if (count != values.Length)
        {
            throw new ArgumentException($"Initializer '{name}': {values.Length} values do not fill dimensions [{string.Join(", ", dimensions)}].", nameof(values));
        }

        Name = name;
        Dimensions = dimensions;
        Values = values;
    }

    /// <summary>The name suffix.</summary>
    public string Name { get; }

    /// <summary>The dimensions.</summary>
    public IReadOnlyList<long> Dimensions { get; }

    /// <summary>The values in row-major order.</summary>
    public IReadOnlyList<double> Values { get; }
}
