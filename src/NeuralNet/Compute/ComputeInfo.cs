using System.Globalization;

namespace NeuralNet.Compute;

/// <summary>
/// What the compute core runs on this machine, and how many threads a single matrix product may use.
/// </summary>
/// <remarks>
/// <para>
/// float32 products take the widest path the CPU supports: <see cref="GemmPath.Vector512"/> (AVX-512F),
/// <see cref="GemmPath.Vector256"/> (AVX2 + FMA) or <see cref="GemmPath.Portable"/>. float64 always takes the
/// portable path (it exists for gradient checks). Every path computes the same sums; they differ only in float rounding.
/// </para>
/// <para>
/// A product large enough to pay for it (≥ <see cref="ParallelThresholdFlops"/> floating-point operations) is split
/// across up to <see cref="MaxThreads"/> threads (by rows or columns of the result; the sums are bit-identical either way).
/// So is a single-sample product whose weight matrix has 65,536 or more elements: it is bound by reading the weights,
/// and each core then reads half of them from its own cache.
/// Element-wise work always runs on the calling thread.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// Console.WriteLine(ComputeInfo.Describe()); // AVX-512 (Vector512 FMA), 2 threads
/// ComputeInfo.MaxThreads = 1;                // e.g. when running several trainings side by side
/// </code>
/// </example>
public static class ComputeInfo
{
    /// <summary>
    /// Products smaller than this many floating-point operations (<c>2·m·n·k</c>, 4 million) stay on one thread.
    /// </summary>
    /// <remarks>
    /// Measured on a 2-vCPU AMD Zen 4 machine (two real cores: two FMA loops at once run as fast as one): with both cores
    /// free, splitting the batch-64 training products of a 784-256-128-10 MLP (4.2 and 25.7 million) cut the step by 27–32 %
    /// (ThreadSplitBenchmarks). When another process keeps the second core busy the split gains nothing and can cost time; set
    /// <see cref="MaxThreads"/> to 1 then.
    /// </remarks>
    public const long ParallelThresholdFlops = 4_000_000;

    private static int maxThreads = Math.Min(Environment.ProcessorCount, 64);

    /// <summary>The path float32 matrix products take in this process.</summary>
    public static GemmPath Path => ComputeSettings.ActivePath;

    /// <summary>
    /// The most threads one matrix product may use; default <see cref="Environment.ProcessorCount"/> (at most 64).
    /// Set it to 1 to keep all work on the calling thread.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1 or more than 64.</exception>
    public static int MaxThreads
    {
        get => Volatile.Read(ref maxThreads);
        set
        {
            if (value < 1 || value > 64)
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "ComputeInfo.MaxThreads must be between 1 and 64.");
            }

            Volatile.Write(ref maxThreads, value);
        }
    }

    /// <summary>A one-line description, e.g. <c>AVX-512 (Vector512 FMA), 2 threads</c>.</summary>
    public static string Describe()
    {
        string path = Path switch
        {
            GemmPath.Vector512 => "AVX-512 (Vector512 FMA)",
            GemmPath.Vector256 => "AVX2 (Vector256 FMA)",
            _ => "portable (TensorPrimitives)",
        };
        int threads = MaxThreads;
        return string.Create(CultureInfo.InvariantCulture, $"{path}, {threads} thread{(threads == 1 ? string.Empty : "s")}");
    }
}
