using NeuralNet.Data;

namespace NeuralNet.Tests.Data;

/// <summary>Where the tests find Fashion-MNIST: the Debian package's folder, else the shared copy beside the repository.</summary>
internal static class FashionMnistData
{
    /// <summary>Where Debian's <c>dataset-fashion-mnist</c> package puts the files (the library itself has no default folder).</summary>
    public const string DebianDirectory = "/usr/share/datasets/fashion-mnist";

    public static string? Directory { get; } = Find();

    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    private static string? Find()
    {
        if (FashionMnist.Exists(FashionMnistData.DebianDirectory))
        {
            return FashionMnistData.DebianDirectory;
        }

        for (DirectoryInfo? folder = new(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "NeuralNet.sln")))
            {
                string shared = Path.GetFullPath(Path.Combine(folder.FullName, "..", "shared", "data", "fashion-mnist"));
                return FashionMnist.Exists(shared) ? shared : null;
            }
        }

        return null;
    }
}

/// <summary>
/// A fact that needs the Fashion-MNIST files. It is skipped, with the reason, only when the files are absent AND the
/// environment variable CI is not "true"; in CI a missing data set makes the test run and fail loudly.
/// </summary>
public sealed class FashionMnistFactAttribute : FactAttribute
{
    public FashionMnistFactAttribute()
    {
        Skip = SkipReason(FashionMnistData.Directory, FashionMnistData.InCi);
    }

    /// <summary>Why the test is skipped, or <see langword="null"/> to run it.</summary>
    public static string? SkipReason(string? dataDirectory, bool inCi) =>
        dataDirectory is null && !inCi
            ? $"Fashion-MNIST is not installed (looked in {FashionMnistData.DebianDirectory} and ../shared/data/fashion-mnist); install it with `sudo apt-get install dataset-fashion-mnist`. In CI (CI=true) this test never skips."
            : null;
}
