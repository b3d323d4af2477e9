using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using BenchmarkDotNet.Attributes;

namespace NeuralNet.Benchmarks;

/// <summary>
/// The ceiling: fused multiply-adds on registers only (12 independent chains, no memory), so the GEMM figures can be
/// read as a fraction of what this CPU delivers to one thread at the time of the run.
/// GFLOP/s = 12 chains · lanes · 2 · 1,000,000 / time.
/// The two-thread variant runs the same loop on two threads at once: if the two vCPUs were hyper-threads of one
/// core it would take twice as long as one loop (they would share the FMA units); on separate cores it takes as long.
/// </summary>
[MedianColumn]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 7)]
public class FmaPeakBenchmarks
{
    private const int Steps = 1_000_000;

    [Benchmark(Description = "Vector512 FMA peak (384 MFLOP)")]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Vector512<float> Peak512()
    {
        Vector512<float> a = Vector512.Create(1.0000001f), b = Vector512.Create(0.9999999f);
        Vector512<float> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default;
        Vector512<float> c6 = default, c7 = default, c8 = default, c9 = default, c10 = default, c11 = default;
        for (int i = 0; i < Steps; i++)
        {
            c0 = Vector512.FusedMultiplyAdd(a, b, c0); c1 = Vector512.FusedMultiplyAdd(a, b, c1);
            c2 = Vector512.FusedMultiplyAdd(a, b, c2); c3 = Vector512.FusedMultiplyAdd(a, b, c3);
            c4 = Vector512.FusedMultiplyAdd(a, b, c4); c5 = Vector512.FusedMultiplyAdd(a, b, c5);
            c6 = Vector512.FusedMultiplyAdd(a, b, c6); c7 = Vector512.FusedMultiplyAdd(a, b, c7);
            c8 = Vector512.FusedMultiplyAdd(a, b, c8); c9 = Vector512.FusedMultiplyAdd(a, b, c9);
            c10 = Vector512.FusedMultiplyAdd(a, b, c10); c11 = Vector512.FusedMultiplyAdd(a, b, c11);
        }

        return c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11;
    }

    [Benchmark(Description = "Vector256 FMA peak, 2 threads at once (2 × 192 MFLOP)")]
    public void Peak256TwoThreads() => Parallel.Invoke(() => Peak256(), () => Peak256());

    [Benchmark(Description = "Vector256 FMA peak (192 MFLOP)")]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Vector256<float> Peak256()
    {
        Vector256<float> a = Vector256.Create(1.0000001f), b = Vector256.Create(0.9999999f);
        Vector256<float> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default;
        Vector256<float> c6 = default, c7 = default, c8 = default, c9 = default, c10 = default, c11 = default;
        for (int i = 0; i < Steps; i++)
        {
            c0 = Vector256.FusedMultiplyAdd(a, b, c0); c1 = Vector256.FusedMultiplyAdd(a, b, c1);
            c2 = Vector256.FusedMultiplyAdd(a, b, c2); c3 = Vector256.FusedMultiplyAdd(a, b, c3);
            c4 = Vector256.FusedMultiplyAdd(a, b, c4); c5 = Vector256.FusedMultiplyAdd(a, b, c5);
            c6 = Vector256.FusedMultiplyAdd(a, b, c6); c7 = Vector256.FusedMultiplyAdd(a, b, c7);
            c8 = Vector256.FusedMultiplyAdd(a, b, c8); c9 = Vector256.FusedMultiplyAdd(a, b, c9);
            c10 = Vector256.FusedMultiplyAdd(a, b, c10); c11 = Vector256.FusedMultiplyAdd(a, b, c11);
        }

        return c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11;
    }
}
