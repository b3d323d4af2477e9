using NeuralNet.Compute;
using static TorchSharp.torch;

namespace NeuralNet.Comparisons;

/// <summary>Puts every library of the comparison on the same number of threads, and proves it did.</summary>
internal static class Threads
{
    private static bool interOpSet;

    /// <summary>Caps NeuralNet at <paramref name="count"/> threads and gives TorchSharp <paramref name="count"/> intra-op threads and 1 inter-op thread.</summary>
    /// <exception cref="InvalidOperationException">TorchSharp reports another thread count than asked for.</exception>
    public static void Use(int count)
    {
        ComputeInfo.MaxThreads = count;
        set_num_threads(count);
        if (!interOpSet)
        {
            // libtorch allows this once per process, before any inter-op work; a second call terminates the process.
            interOpSet = true;
            if (get_num_interop_threads() != 1)
            {
                set_num_interop_threads(1);
            }
        }

        if (get_num_threads() != count)
        {
            throw new InvalidOperationException($"torch.get_num_threads() is {get_num_threads()} after set_num_threads({count}).");
        }
    }

    /// <summary>One line naming what each library will use.</summary>
    public static string Describe() =>
        $"NeuralNet: {ComputeInfo.Describe()}; TorchSharp: {get_num_threads()} intra-op, {get_num_interop_threads()} inter-op threads";
}
