using NeuralNet.Compute;

namespace NeuralNet.Tests.Compute;

public sealed class ComputeInfoTests
{
    [Fact]
    public void Describe_names_the_active_path_and_the_thread_cap()
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
    public void MaxThreads_rejects_values_outside_1_to_64(int value)
    {
        int before = ComputeInfo.MaxThreads;
        Action set = () => ComputeInfo.MaxThreads = value;

        set.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*between 1 and 64*");
        ComputeInfo.MaxThreads.Should().Be(before);
    }

    [Fact]
    public void The_path_follows_the_hardware_unless_forced()
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
    public void Forcing_a_path_the_hardware_cannot_run_throws_and_changes_nothing()
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
