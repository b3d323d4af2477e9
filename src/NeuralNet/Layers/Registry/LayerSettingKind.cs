namespace NeuralNet.Layers;

/// <summary>The type of a <see cref="LayerSetting"/>; the numeric value is its code in model files.</summary>
public enum LayerSettingKind : byte
{
    /// <summary>A 64-bit floating-point number (a rate, a slope, an epsilon).</summary>
    Number = 1,

    /// <summary>A 64-bit integer (a size, a count).</summary>
    Integer = 2,

    /// <summary>A yes/no flag.</summary>
    Boolean = 3,

    /// <summary>A short text (a mode name).</summary>
    Text = 4,

    /// <summary>A list of 64-bit integers (a kernel size, a shape).</summary>
    Integers = 5,

    /// <summary>A list of layer configurations: the inner layers of a block such as <see cref="Residual{T}"/>.</summary>
    Layers = 6,
}
