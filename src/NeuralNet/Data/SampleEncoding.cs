namespace NeuralNet.Data;

/// <summary>How a <see cref="SampleFile{T}"/> stores the feature values of its samples.</summary>
public enum SampleEncoding
{
    /// <summary>IEEE 754 single precision, little-endian, 4 bytes per value (a <c>double</c> dataset is rounded to it when written).</summary>
    Float32 = 1,

    /// <summary>One unsigned byte per value, for pixel intensities 0 … 255 (a quarter of the size); read back as the same whole numbers.</summary>
    UInt8 = 2,
}
