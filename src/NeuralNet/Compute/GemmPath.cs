namespace NeuralNet.Compute;

/// <summary>The instruction-set path a float32 matrix product can take.</summary>
public enum GemmPath
{
    /// <summary>The portable path built on <see cref="System.Numerics.Tensors.TensorPrimitives"/>; used for <see cref="double"/> and on hardware without AVX2+FMA.</summary>
    Portable = 0,

    /// <summary>Cache-blocked, register-tiled kernel on 256-bit vectors with fused multiply-add (AVX2 + FMA).</summary>
    Vector256 = 1,

    /// <summary>Cache-blocked, register-tiled kernel on 512-bit vectors with fused multiply-add (AVX-512F).</summary>
    Vector512 = 2,
}
