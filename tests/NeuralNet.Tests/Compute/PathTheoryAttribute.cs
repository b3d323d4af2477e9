using NeuralNet.Compute;

namespace NeuralNet.Tests.Compute;

/// <summary>A theory that runs only where the CPU can execute the given matrix-product path, and says why when it cannot.</summary>
internal sealed class PathTheoryAttribute : TheoryAttribute
{
    public PathTheoryAttribute(GemmPath path)
    {
        if (!ComputeSettings.IsSupported(path))
        {
            Skip = $"This CPU cannot run the {path} path (best available: {ComputeSettings.HardwarePath}).";
        }
    }
}
