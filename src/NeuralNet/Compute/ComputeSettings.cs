using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NeuralNet.Compute;

/// <summary>
/// Which float32 path the matrix product takes: the best the hardware offers, unless a test forces another.
/// </summary>
internal static class ComputeSettings
{
    /// <summary>Default of <see cref="SkinnySplitElements"/>: the 784 → 256 layer (200,704 weights) splits, 256 → 128 does not.</summary>
    public const long DefaultSkinnySplitElements = 64 * 1024;

    /// <summary>The best path this process can run.</summary>
    public static readonly GemmPath HardwarePath = DetectHardwarePath();

    [ThreadStatic]
    private static GemmPath? forcedPath;

    /// <summary>
    /// Forces a path for products started on the calling thread (tests compare every path against the oracle while
    /// other tests run); <see langword="null"/> restores the automatic choice. Helper threads follow the product's path.
    /// </summary>
    /// <exception cref="PlatformNotSupportedException">The hardware cannot run the requested path.</exception>
    public static GemmPath? ForcedPath
    {
        get => forcedPath;
        set
        {
            if (value is GemmPath path && !IsSupported(path))
            {
                throw new PlatformNotSupportedException($"The {path} matrix-product path needs instructions this CPU lacks (best available: {HardwarePath}).");
            }

            forcedPath = value;
        }
    }

    [ThreadStatic]
    private static bool blockedOnly;

    /// <summary>
    /// When set, float32 products on this thread skip the tiny- and skinny-shape shortcuts and always run the blocked
    /// micro-kernel, so tests reach the kernel's edge handling with small shapes too.
    /// </summary>
    public static bool BlockedKernelOnly
    {
        get => blockedOnly;
        set => blockedOnly = value;
    }

    /// <summary>
    /// Products with at least this many floating-point operations (<c>2·m·n·k</c>) may be split across threads;
    /// <see cref="ComputeInfo.ParallelThresholdFlops"/> unless a benchmark tries another value.
    /// </summary>
    public static long ParallelThresholdFlops { get; set; } = ComputeInfo.ParallelThresholdFlops;

    /// <summary>
    /// A skinny product (one to three columns, inference on single samples) whose <c>A</c> has at least this many
    /// elements (65,536) may be split across threads by rows, whatever its FLOP count: it is bound by reading <c>A</c>,
    /// and each core then reads only its half, from its own cache. <see cref="long.MaxValue"/> disables the split.
    /// </summary>
    public static long SkinnySplitElements { get; set; } = DefaultSkinnySplitElements;

    /// <summary>The path float32 products started on this thread take.</summary>
    public static GemmPath ActivePath => forcedPath ?? HardwarePath;

    /// <summary>Whether the hardware can run <paramref name="path"/>.</summary>
    public static bool IsSupported(GemmPath path) => path switch
    {
        GemmPath.Portable => true,
        GemmPath.Vector256 => Avx2.IsSupported && Fma.IsSupported && Vector256.IsHardwareAccelerated,
        GemmPath.Vector512 => Avx512F.IsSupported && Vector512.IsHardwareAccelerated,
        _ => false,
    };

    private static GemmPath DetectHardwarePath() =>
        IsSupported(GemmPath.Vector512) ? GemmPath.Vector512
        : IsSupported(GemmPath.Vector256) ? GemmPath.Vector256
        : GemmPath.Portable;
}
