using NeuralNet.Compute;

namespace NeuralNet.Tests.Compute;

/// <summary>Forces a matrix-product path (optionally the blocked kernel alone) on the current thread for the lifetime of the scope.</summary>
internal sealed class ForcedPath : IDisposable
{
    private readonly GemmPath? previous = ComputeSettings.ForcedPath;
    private readonly bool previousBlockedOnly = ComputeSettings.BlockedKernelOnly;

    public ForcedPath(GemmPath path, bool blockedKernelOnly = false)
    {
        ComputeSettings.ForcedPath = path;
        ComputeSettings.BlockedKernelOnly = blockedKernelOnly;
        ComputeSettings.ActivePath.Should().Be(path);
    }

    public void Dispose()
    {
        ComputeSettings.ForcedPath = previous;
        ComputeSettings.BlockedKernelOnly = previousBlockedOnly;
    }
}
