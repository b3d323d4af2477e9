using System.Numerics;

namespace NeuralNet.Serialization;

/// <summary>The element type code of a file: the size in bytes of one IEEE 754 little-endian value.</summary>
internal enum ElementType : byte
{
    Float32 = 4,
    Float64 = 8,
}

/// <summary>Maps the library's element types to their file codes.</summary>
internal static class ElementTypes
{
    public static ElementType Of<T>()
        where T : unmanaged, IFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) ? ElementType.Float32
        : typeof(T) == typeof(double) ? ElementType.Float64
        : throw new NotSupportedException($"Element type {typeof(T).Name} cannot be stored; use float or double.");

    public static string Describe(ElementType type) => type switch
    {
        ElementType.Float32 => "float32 (float)",
        ElementType.Float64 => "float64 (double)",
        _ => $"unknown code {(byte)type}",
    };

    public static bool IsKnown(byte code) => code is (byte)ElementType.Float32 or (byte)ElementType.Float64;
}
