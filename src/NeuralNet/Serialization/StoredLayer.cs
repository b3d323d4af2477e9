using System.Numerics;
using NeuralNet.Layers;

namespace NeuralNet.Serialization;

/// <summary>
/// One layer of a format-version-1 file, read into the version-2 description (configuration, named parameter tensors,
/// named buffers). <see cref="Build"/> makes the layer through the registry and fills in the values.
/// </summary>
internal sealed class StoredLayer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public StoredLayer(LayerConfig config)
    {
        Config = config;
    }

    public LayerConfig Config { get; }

    public List<(string Name, int Rows, int Columns, T[] Values)> Parameters { get; } = [];

    public List<(string Name, T[]? Values, ulong[]? Words)> Buffers { get; } = [];

    /// <summary>Builds the layer and copies the stored values in; any mismatch is a format error naming the layer.</summary>
    public ILayer<T> Build(PayloadReader reader, int index)
    {
        ILayer<T> layer = Create(Config, reader, index, Parameters.Sum(p => (long)p.Values.Length));
        string where = $"layer {index} ({Config.Kind})";
        FillParameters(layer.Parameters, reader, where);
        FillBuffers(layer.Buffers, reader, where);
        return layer;
    }

    /// <summary>
    /// Builds a layer from its configuration through the registry, allowing its parameters at most
    /// <paramref name="storedValues"/> values (what the file holds), so a damaged setting fails before it allocates.
    /// </summary>
    public static ILayer<T> Create(LayerConfig config, PayloadReader reader, int index, long storedValues)
    {
        if (!LayerRegistry.IsRegistered(config.Kind))
        {
            throw reader.Error($"layer {index} has unknown kind '{config.Kind}'; this version reads {string.Join(", ", LayerRegistry.Kinds)} (register your own layers with LayerRegistry.Register before loading)");
        }

        try
        {
            using (ParameterBudget.Limit(storedValues))
            {
                return LayerRegistry.Create<T>(config);
            }
        }
        catch (Exception e) when (e is ArgumentException or ArithmeticException)
        {
            throw reader.Error($"layer {index} ({config.Kind}) is invalid: {e.Message}");
        }
    }

    private void FillParameters(IReadOnlyList<Parameter<T>> parameters, PayloadReader reader, string where)
    {
        if (parameters.Count != Parameters.Count)
        {
            throw reader.Error($"{where} stores {Parameters.Count} parameters, but a layer with its settings has {parameters.Count}");
        }

        for (int p = 0; p < parameters.Count; p++)
        {
            (string name, int rows, int columns, T[] values) = Parameters[p];
            Parameter<T> target = parameters[p];
            if (name != target.Name || rows != target.Value.RowCount || columns != target.Value.ColumnCount)
            {
                throw reader.Error($"{where} stores parameter '{name}' of {rows} × {columns}, but the layer's parameter {p} is '{target.Name}' of {target.Value.RowCount} × {target.Value.ColumnCount}");
            }

            values.CopyTo(target.ValueSpan);
        }
    }

    private void FillBuffers(IReadOnlyList<LayerBuffer<T>> buffers, PayloadReader reader, string where)
    {
        if (buffers.Count != Buffers.Count)
        {
            throw reader.Error($"{where} stores {Buffers.Count} buffers, but a layer with its settings has {buffers.Count}");
        }

        for (int b = 0; b < buffers.Count; b++)
        {
            (string name, T[]? values, ulong[]? words) = Buffers[b];
            LayerBuffer<T> target = buffers[b];
            int length = values?.Length ?? words!.Length;
            if (name != target.Name || (values is not null) != target.IsStatistics || length != target.Length)
            {
                throw reader.Error($"{where} stores buffer '{name}' ({length} {(values is null ? "words" : "values")}), but the layer's buffer {b} is {target}");
            }

            if (values is not null)
            {
                values.CopyTo(target.Values.Span);
            }
            else
            {
                words!.CopyTo(target.Words.Span);
            }

            string? violation = target.FindViolation();
            if (violation is not null)
            {
                throw reader.Error($"{where}: {violation}");
            }
        }
    }
}
