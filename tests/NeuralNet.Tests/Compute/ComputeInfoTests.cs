using NeuralNet.Compute;

namespace NeuralNet.Tests.Compute;

public sealed class ComputeInfoTests
{
    [Fact]
    public void Describe_NamesTheActivePathAndTheThreadCap()
    {
        int before = ComputeInfo.MaxThreads;
        try
        {
            ComputeInfo.MaxThreads = 1;
            string one = ComputeInfo.Describe();
            ComputeInfo.MaxThreads = 3;
            string three = ComputeInfo.Describe();

            one.Should().EndWith(", 1 thread");
            three.Should().EndWith(", 3 threads");
            string expectedPath = ComputeInfo.Path switch
            {
                GemmPath.Vector512 => "AVX-512 (Vector512 FMA)",
                GemmPath.Vector256 => "AVX2 (Vector256 FMA)",
                _ => "portable",
            };
            one.Should().StartWith(expectedPath);
        }
        finally
        {
            ComputeInfo.MaxThreads = before;
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(65)]
    public void MaxThreads_OutsideOneTo64_IsRejectedAndKeepsItsValue(int value)
    {
        int before = ComputeInfo.MaxThreads;
        Action set = () => ComputeInfo.MaxThreads = value;

        set.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*between 1 and 64*");
        ComputeInfo.MaxThreads.Should().Be(before);
    }

    [Fact]
    public void Path_FollowsTheHardwareUnlessForced()
    {
        ComputeInfo.Path.Should().Be(ComputeSettings.HardwarePath);
        using (new ForcedPath(GemmPath.Portable))
        {
            ComputeInfo.Path.Should().Be(GemmPath.Portable);
            ComputeInfo.Describe().Should().StartWith("portable");
        }

        ComputeInfo.Path.Should().Be(ComputeSettings.HardwarePath);
    }

    [Fact]
    public void ForcedPath_TheHardwareCannotRun_ThrowsAndChangesNothing()
    {
        GemmPath[] unsupported = [(GemmPath)99, .. Enum.GetValues<GemmPath>().Where(p => !ComputeSettings.IsSupported(p))];
        foreach (GemmPath path in unsupported)
        {
            Action force = () => ComputeSettings.ForcedPath = path;
            force.Should().Throw<PlatformNotSupportedException>().WithMessage($"*{path}*");
            ComputeInfo.Path.Should().Be(ComputeSettings.HardwarePath);
        }
    }
}
