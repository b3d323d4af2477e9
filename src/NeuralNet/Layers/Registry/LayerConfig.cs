using System.Globalization;

namespace NeuralNet.Layers;

/// <summary>
/// What a layer is, as data: its registered kind name and its settings (typed values), like Keras's
/// <c>get_config()</c>. With the layer's named parameters and buffers, it is everything a model file stores.
/// </summary>
/// <remarks>
/// The registry builds a layer back from its configuration (see <see cref="LayerRegistry"/>), so a layer's constructor
/// is the one place that validates its settings. Settings keep the order in which they were added.
/// </remarks>
/// <example>
/// <code>
/// LayerConfig config = new LayerConfig("leaky_relu").With("slope", 0.2);
/// double slope = config.GetNumber("slope");
/// </code>
/// </example>
public sealed class LayerConfig : IEquatable<LayerConfig>
{
    private readonly List<KeyValuePair<string, LayerSetting>> settings = [];
    private readonly HashSet<string> names = new(StringComparer.Ordinal);

    /// <summary>Creates a configuration without settings.</summary>
    /// <param name="kind">The stable kind name, e.g. <c>"linear"</c>: 1 to 64 ASCII letters, digits, '_', '.' or '-'.</param>
    /// <exception cref="ArgumentException">The name is empty, too long, or uses other characters.</exception>
    public LayerConfig(string kind)
    {
        StoredNames.Check(kind, nameof(kind));
        Kind = kind;
    }

    /// <summary>The stable kind name stored in model files.</summary>
    public string Kind { get; }

    /// <summary>The settings, in the order they were added.</summary>
    public IReadOnlyList<KeyValuePair<string, LayerSetting>> Settings => settings;

    /// <summary>Adds a setting and returns this configuration.</summary>
    /// <param name="name">The setting's name, unique within the configuration (same character rules as the kind).</param>
    /// <param name="value">Its value.</param>
    /// <exception cref="ArgumentException">The name is invalid or already used.</exception>
    public LayerConfig With(string name, LayerSetting value)
    {
        StoredNames.Check(name, nameof(name));
        if (!names.Add(name))
        {
            throw new ArgumentException($"{Kind}: the setting '{name}' is already present.", nameof(name));
        }

        settings.Add(new KeyValuePair<string, LayerSetting>(name, value));
        return this;
    }

    /// <summary>Adds a number setting.</summary>
    /// <param name="name">The setting's name.</param>
    /// <param name="value">Its value.</param>
    public LayerConfig With(string name, double value) => With(name, LayerSetting.FromNumber(value));

    /// <summary>Adds an integer setting.</summary>
    /// <param name="name">The setting's name.</param>
    /// <param name="value">Its value.</param>
    public LayerConfig With(string name, long value) => With(name, LayerSetting.FromInteger(value));

    /// <summary>Adds a flag setting.</summary>
    /// <param name="name">The setting's name.</param>
    /// <param name="value">Its value.</param>
    public LayerConfig With(string name, bool value) => With(name, LayerSetting.FromBoolean(value));

    /// <summary>Adds a text setting.</summary>
    /// <param name="name">The setting's name.</param>
    /// <param name="value">Its value.</param>
    public LayerConfig With(string name, string value) => With(name, LayerSetting.FromText(value));

    /// <summary>Adds a list-of-layers setting (the inner layers of a block).</summary>
    /// <param name="name">The setting's name.</param>
    /// <param name="layers">The inner layers' configurations, in order.</param>
    public LayerConfig With(string name, IEnumerable<LayerConfig> layers) => With(name, LayerSetting.FromLayers(layers));

    /// <summary>The setting called <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">There is no such setting (the message names the kind and the setting).</exception>
    public LayerSetting Get(string name)
    {
        foreach (KeyValuePair<string, LayerSetting> setting in settings)
        {
            if (setting.Key == name)
            {
                return setting.Value;
            }
        }

        throw new ArgumentException($"{Kind}: the setting '{name}' is missing.", nameof(name));
    }

    /// <summary>A number setting.</summary>
    /// <exception cref="ArgumentException">The setting is missing or is not a number.</exception>
    public double GetNumber(string name) => Typed(name, LayerSettingKind.Number).Number;

    /// <summary>An integer setting that must fit an <see cref="int"/>.</summary>
    /// <exception cref="ArgumentException">The setting is missing, not an integer, or outside the range of <see cref="int"/>.</exception>
    public int GetInt32(string name)
    {
        long value = Typed(name, LayerSettingKind.Integer).Integer;
        return value is >= int.MinValue and <= int.MaxValue
            ? (int)value
            : throw new ArgumentException($"{Kind}: the setting '{name}' is {value}, outside the range of a 32-bit integer.", nameof(name));
    }

    /// <summary>A flag setting.</summary>
    /// <exception cref="ArgumentException">The setting is missing or is not a flag.</exception>
    public bool GetBoolean(string name) => Typed(name, LayerSettingKind.Boolean).Boolean;

    /// <summary>A text setting.</summary>
    /// <exception cref="ArgumentException">The setting is missing or is not a text.</exception>
    public string GetText(string name) => Typed(name, LayerSettingKind.Text).Text;

    /// <summary>A list-of-integers setting whose values must fit an <see cref="int"/>.</summary>
    /// <exception cref="ArgumentException">The setting is missing, not a list of integers, or holds a value outside the range of <see cref="int"/>.</exception>
    public int[] GetInt32Array(string name)
    {
        IReadOnlyList<long> values = Typed(name, LayerSettingKind.Integers).Integers;
        var result = new int[values.Count];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = values[i] is >= int.MinValue and <= int.MaxValue
                ? (int)values[i]
                : throw new ArgumentException($"{Kind}: entry {i} of the setting '{name}' is {values[i]}, outside the range of a 32-bit integer.", nameof(name));
        }

        return result;
    }

    /// <summary>A list-of-layers setting: the inner layers' configurations, in order.</summary>
    /// <exception cref="ArgumentException">The setting is missing or is not a list of layers.</exception>
    public IReadOnlyList<LayerConfig> GetLayers(string name) => Typed(name, LayerSettingKind.Layers).Layers;

    /// <summary>Whether both have the same kind and the same settings in the same order.</summary>
    public bool Equals(LayerConfig? other) =>
        other is not null && Kind == other.Kind && settings.Count == other.settings.Count
        && settings.Zip(other.settings).All(pair => pair.First.Key == pair.Second.Key && pair.First.Value == pair.Second.Value);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as LayerConfig);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Kind, settings.Count);

    /// <summary>The first difference from <paramref name="other"/> in words, or <see langword="null"/> when they are equal.</summary>
    /// <param name="other">The configuration to compare with.</param>
    public string? DescribeDifference(LayerConfig other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (Kind != other.Kind)
        {
            return $"kind '{Kind}' vs '{other.Kind}'";
        }

        foreach (string name in settings.Select(s => s.Key).Union(other.settings.Select(s => s.Key)))
        {
            string mine = settings.Exists(s => s.Key == name) ? Get(name).ToString() : "(none)";
            string theirs = other.settings.Exists(s => s.Key == name) ? other.Get(name).ToString() : "(none)";
            if (mine != theirs)
            {
                return $"{Kind} setting '{name}' {mine} vs {theirs}";
            }
        }

        return null;
    }

    /// <summary>The configuration as text, e.g. <c>leaky_relu(slope = 0.2)</c>.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Kind}({string.Join(", ", settings.Select(s => $"{s.Key} = {s.Value}"))})");

    private LayerSetting Typed(string name, LayerSettingKind kind)
    {
        LayerSetting setting = Get(name);
        return setting.Kind == kind
            ? setting
            : throw new ArgumentException($"{Kind}: the setting '{name}' holds a {setting.Kind} value, expected a {kind} value.", nameof(name));
    }
}
