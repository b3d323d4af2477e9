namespace NeuralNet.Tests.Data;

/// <summary>A fact that runs only on Linux (FIFOs made with mkfifo, /dev/full, sysfs).</summary>
public sealed class LinuxFactAttribute : FactAttribute
{
    public LinuxFactAttribute()
    {
        if (!OperatingSystem.IsLinux())
        {
            Skip = "Linux only: needs mkfifo, /dev/full or sysfs.";
        }
    }
}

/// <summary>A fact that runs only where files have Unix permission bits (Linux, macOS).</summary>
public sealed class UnixFactAttribute : FactAttribute
{
    public UnixFactAttribute()
    {
        if (OperatingSystem.IsWindows())
        {
            Skip = "Unix only: Windows files have no Unix permission bits.";
        }
    }
}

/// <summary>
/// A fact about permission checks that only a non-root Unix user can see: root bypasses read and write permissions,
/// so as root (as in CI) the test is skipped with that reason.
/// </summary>
public sealed class NonRootUnixFactAttribute : FactAttribute
{
    public NonRootUnixFactAttribute()
    {
        if (OperatingSystem.IsWindows())
        {
            Skip = "Unix only: Windows files have no Unix permission bits.";
        }
        else if (Environment.UserName == "root")
        {
            Skip = "Runs as root, which ignores permission bits; the same mapping is checked as root by saving into sysfs (Save_IntoAFolderTheKernelRefuses_NamesTheTarget).";
        }
    }
}

/// <summary>A theory that runs only where files have Unix permission bits (Linux, macOS).</summary>
public sealed class UnixTheoryAttribute : TheoryAttribute
{
    public UnixTheoryAttribute()
    {
        if (OperatingSystem.IsWindows())
        {
            Skip = "Unix only: Windows files have no Unix permission bits.";
        }
    }
}
