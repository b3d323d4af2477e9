using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using NeuralNet.Layers;

namespace NeuralNet;

/// <content>A table of the layers, like Keras's <c>model.summary()</c>.</content>
public sealed partial class Network<T>
{
    /// <summary>
    /// A table of the layers: each layer's name, the shape of its output samples and its parameter count, then the
    /// input shape, the totals (trainable parameters, non-trainable statistics such as running means) and the memory
    /// they take.
    /// </summary>
    /// <example>
    /// <code>
    /// Network&lt;float&gt; (3 layers)
    ///   #  layer                 output shape  parameters
    ///   0  Linear(2 → 8)         (8)                   24
    ///   1  ReLU                  (8)                    0
    ///   2  Linear(8 → 2)         (2)                   18
    /// input shape: (2)
    /// trainable parameters: 42 (168 B); non-trainable values: 0
    /// </code>
    /// </example>
    /// <returns>The table, lines separated by <see cref="Environment.NewLine"/>.</returns>
    public string Summary()
    {
        var rows = new List<string[]>(layers.Length + 1) { new[] { "#", "layer", "output shape", "parameters" } };
        for (int i = 0; i < layers.Length; i++)
        {
            AddRows(rows, i.ToString(CultureInfo.InvariantCulture), string.Empty, layers[i], shapes?[i + 1]);
        }

        int[] widths = [.. Enumerable.Range(0, 4).Select(c => rows.Max(r => r[c].Length))];
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Network<{typeof(T).Name}> ({layers.Length} layer{(layers.Length == 1 ? string.Empty : "s")})");
        foreach (string[] row in rows)
        {
            text.Append("  ").Append(row[0].PadLeft(widths[0])).Append("  ").Append(row[1].PadRight(widths[1]))
                .Append("  ").Append(row[2].PadRight(widths[2])).Append("  ").AppendLine(row[3].PadLeft(widths[3]));
        }

        long statistics = layers.SelectMany(l => l.Buffers).Where(b => b.IsStatistics).Sum(b => (long)b.Length);
        long bytes = (ParameterCount + statistics) * Unsafe.SizeOf<T>();
        text.AppendLine(CultureInfo.InvariantCulture, $"input shape: {InputShape?.ToString() ?? "any"}");
        text.Append(CultureInfo.InvariantCulture, $"trainable parameters: {ParameterCount:N0}; non-trainable values: {statistics:N0}; memory: {FormatBytes(bytes)}");
        return text.ToString();
    }

    /// <summary>A row for the layer, then, indented beneath it, one for each inner layer of a block (numbered <c>2.0</c>, <c>2.1</c>, …).</summary>
    private static void AddRows(List<string[]> rows, string number, string indent, ILayer<T> layer, Shape? output)
    {
        long count = layer.Parameters.Sum(p => (long)p.Length);
        string name = layer is ILayerBlock<T> outer ? outer.Heading : layer.Name;
        rows.Add([number, indent + name, output?.ToString() ?? "(as input)", count.ToString("N0", CultureInfo.InvariantCulture)]);
        if (layer is ILayerBlock<T> block)
        {
            for (int j = 0; j < block.Layers.Count; j++)
            {
                AddRows(rows, string.Create(CultureInfo.InvariantCulture, $"{number}.{j}"), indent + "  ", block.Layers[j], block.GetLayerOutputShape(j));
            }
        }
    }

    private static string FormatBytes(long bytes) => bytes switch
    {
        < 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.0} KiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024.0):0.0} MiB"),
    };
}
