using System.Globalization;

namespace NeuralNet.Layers;

/// <summary>
/// One typed value of a layer's configuration: a number, an integer, a flag, a text, a list of integers, or a list of
/// layer configurations (the inner layers of a block).
/// </summary>
public readonly struct LayerSetting : IEquatable<LayerSetting>
{
    private readonly double number;
    private readonly long integer;
    private readonly object? reference;

    private LayerSetting(LayerSettingKind kind, double number, long integer, object? reference)
    {
        Kind = kind;
        this.number = number;
        this.integer = integer;
        this.reference = reference;
    }

    /// <summary>The type of the value.</summary>
    public LayerSettingKind Kind { get; }

    /// <summary>The value of a <see cref="LayerSettingKind.Number"/> setting.</summary>
    /// <exception cref="InvalidOperationException">The setting holds another kind of value.</exception>
    public double Number => Kind == LayerSettingKind.Number ? number : throw WrongKind(LayerSettingKind.Number);

    /// <summary>The value of an <see cref="LayerSettingKind.Integer"/> setting.</summary>
    /// <exception cref="InvalidOperationException">The setting holds another kind of value.</exception>
    public long Integer => Kind == LayerSettingKind.Integer ? integer : throw WrongKind(LayerSettingKind.Integer);

    /// <summary>The value of a <see cref="LayerSettingKind.Boolean"/> setting.</summary>
    /// <exception cref="InvalidOperationException">The setting holds another kind of value.</exception>
    public bool Boolean => Kind == LayerSettingKind.Boolean ? integer != 0 : throw WrongKind(LayerSettingKind.Boolean);

    /// <summary>The value of a <see cref="LayerSettingKind.Text"/> setting.</summary>
    /// <exception cref="InvalidOperationException">The setting holds another kind of value.</exception>
    public string Text => Kind == LayerSettingKind.Text ? (string)reference! : throw WrongKind(LayerSettingKind.Text);

    /// <summary>The value of an <see cref="LayerSettingKind.Integers"/> setting.</summary>
    /// <exception cref="InvalidOperationException">The setting holds another kind of value.</exception>
    public IReadOnlyList<long> Integers => Kind == LayerSettingKind.Integers ? (long[])reference! : throw WrongKind(LayerSettingKind.Integers);

    /// <summary>The value of a <see cref="LayerSettingKind.Layers"/> setting: the inner layers' configurations, in order.</summary>
    /// <exception cref="InvalidOperationException">The setting holds another kind of value.</exception>
    public IReadOnlyList<LayerConfig> Layers => Kind == LayerSettingKind.Layers ? (LayerConfig[])reference! : throw WrongKind(LayerSettingKind.Layers);

    /// <summary>A number setting.</summary>
    public static LayerSetting FromNumber(double value) => new(LayerSettingKind.Number, value, 0, null);

    /// <summary>An integer setting.</summary>
    public static LayerSetting FromInteger(long value) => new(LayerSettingKind.Integer, 0, value, null);

    /// <summary>A flag setting.</summary>
    public static LayerSetting FromBoolean(bool value) => new(LayerSettingKind.Boolean, 0, value ? 1 : 0, null);

    /// <summary>A text setting.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is null.</exception>
    public static LayerSetting FromText(string value) =>
        new(LayerSettingKind.Text, 0, 0, value ?? throw new ArgumentNullException(nameof(value)));

    /// <summary>A list-of-integers setting (copied).</summary>
    public static LayerSetting FromIntegers(ReadOnlySpan<long> values) => new(LayerSettingKind.Integers, 0, 0, values.ToArray());

    /// <summary>A list-of-layers setting (the list is copied; the configurations are not).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="layers"/> or one of its entries is null.</exception>
    public static LayerSetting FromLayers(IEnumerable<LayerConfig> layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        LayerConfig[] copy = [.. layers];
        if (Array.IndexOf(copy, null) is int i && i >= 0)
        {
            throw new ArgumentNullException(nameof(layers), $"Layer configuration {i} is null.");
        }

        return new(LayerSettingKind.Layers, 0, 0, copy);
    }

    /// <summary>Equal kinds and values; numbers compare by bits, so NaN equals NaN and 0 differs from −0.</summary>
    public bool Equals(LayerSetting other) => Kind == other.Kind && Kind switch
    {
        LayerSettingKind.Number => BitConverter.DoubleToInt64Bits(number) == BitConverter.DoubleToInt64Bits(other.number),
        LayerSettingKind.Text => string.Equals(Text, other.Text, StringComparison.Ordinal),
        LayerSettingKind.Integers => ((long[])reference!).AsSpan().SequenceEqual((long[])other.reference!),
        LayerSettingKind.Layers => ((LayerConfig[])reference!).SequenceEqual((LayerConfig[])other.reference!),
        _ => integer == other.integer,
    };

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is LayerSetting other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Kind, number, integer, Kind == LayerSettingKind.Text ? reference : null);

    /// <summary>The value as written in messages, e.g. <c>0.1</c>, <c>true</c>, <c>[3, 3]</c>, <c>[linear(inputs = 4, outputs = 4), relu()]</c>.</summary>
    public override string ToString() => Kind switch
    {
        LayerSettingKind.Number => number.ToString("R", CultureInfo.InvariantCulture),
        LayerSettingKind.Integer => integer.ToString(CultureInfo.InvariantCulture),
        LayerSettingKind.Boolean => integer != 0 ? "true" : "false",
        LayerSettingKind.Text => $"\"{reference}\"",
        LayerSettingKind.Integers => $"[{string.Join(", ", ((long[])reference!).Select(v => v.ToString(CultureInfo.InvariantCulture)))}]",
        LayerSettingKind.Layers => $"[{string.Join(", ", (LayerConfig[])reference!)}]",
        _ => "(none)",
    };

    /// <summary>Whether two settings are equal.</summary>
    public static bool operator ==(LayerSetting left, LayerSetting right) => left.Equals(right);

    /// <summary>Whether two settings differ.</summary>
    public static bool operator !=(LayerSetting left, LayerSetting right) => !left.Equals(right);

    private InvalidOperationException WrongKind(LayerSettingKind wanted) =>
        new($"The setting holds a {Kind} value, not a {wanted} value.");
}
