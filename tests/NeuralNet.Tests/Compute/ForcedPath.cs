using NeuralNet.Compute;

namespace NeuralNet.Tests.Compute;

/// <summary>Forces a matrix-product path on the current thread for the lifetime of the scope.</summary>
internal sealed class ForcedPath : IDisposable
{
    private readonly GemmPath? previous = ComputeSettings.ForcedPath;

    public ForcedPath(GemmPath path)
    {
        ComputeSettings.ForcedPath = path;
        ComputeSettings.ActivePath.Should().Be(path);
    }

    public void Dispose() => ComputeSettings.ForcedPath = previous;
}
