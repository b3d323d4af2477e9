using System.Runtime.Intrinsics;

namespace NeuralNet.Compute.Convolution;

/// <summary>The vector operations the convolution kernels need, so one kernel source serves 512- and 256-bit vectors.</summary>
/// <typeparam name="TVector">The vector type.</typeparam>
internal unsafe interface ILanes<TVector>
    where TVector : struct
{
    /// <summary>Floats per vector.</summary>
    static abstract int Count { get; }

    static abstract TVector Load(float* source);

    static abstract void Store(float* target, TVector value);

    static abstract TVector Broadcast(float value);

    /// <summary><c>a·b + c</c>, rounded once.</summary>
    static abstract TVector MultiplyAdd(TVector a, TVector b, TVector c);

    static abstract TVector And(TVector value, TVector mask);

    /// <summary><c>max(value, 0)</c> per lane, as <c>TensorPrimitives.Max</c> computes it (NaN stays NaN, <c>max(−0, 0) = +0</c>).</summary>
    static abstract TVector Relu(TVector value);

    /// <summary>The sum of the lanes, in an order fixed by the vector width.</summary>
    static abstract float Sum(TVector value);
}

/// <summary>512-bit vectors (AVX-512F).</summary>
internal readonly unsafe struct Lanes512 : ILanes<Vector512<float>>
{
    public static int Count => Vector512<float>.Count;

    public static Vector512<float> Load(float* source) => Vector512.Load(source);

    public static void Store(float* target, Vector512<float> value) => value.Store(target);

    public static Vector512<float> Broadcast(float value) => Vector512.Create(value);

    public static Vector512<float> MultiplyAdd(Vector512<float> a, Vector512<float> b, Vector512<float> c) => Vector512.FusedMultiplyAdd(a, b, c);

    public static Vector512<float> And(Vector512<float> value, Vector512<float> mask) => value & mask;

    public static Vector512<float> Relu(Vector512<float> value) => Vector512.Max(value, Vector512<float>.Zero);

    public static float Sum(Vector512<float> value) => Vector512.Sum(value);
}

/// <summary>256-bit vectors (AVX2 + FMA).</summary>
internal readonly unsafe struct Lanes256 : ILanes<Vector256<float>>
{
    public static int Count => Vector256<float>.Count;

    public static Vector256<float> Load(float* source) => Vector256.Load(source);

    public static void Store(float* target, Vector256<float> value) => value.Store(target);

    public static Vector256<float> Broadcast(float value) => Vector256.Create(value);

    public static Vector256<float> MultiplyAdd(Vector256<float> a, Vector256<float> b, Vector256<float> c) => Vector256.FusedMultiplyAdd(a, b, c);

    public static Vector256<float> And(Vector256<float> value, Vector256<float> mask) => value & mask;

    public static Vector256<float> Relu(Vector256<float> value) => Vector256.Max(value, Vector256<float>.Zero);

    public static float Sum(Vector256<float> value) => Vector256.Sum(value);
}
