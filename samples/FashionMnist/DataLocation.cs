namespace FashionMnistSample;

/// <summary>Finds the Fashion-MNIST files: the given folder, else the Debian package's, else the shared copy beside the repository.</summary>
internal static class DataLocation
{
    /// <summary>Where Debian's <c>dataset-fashion-mnist</c> package puts the files.</summary>
    public const string DebianDirectory = "/usr/share/datasets/fashion-mnist";

    public static string? Find(string? requested)
    {
        if (requested is not null)
        {
            return NeuralNet.Data.FashionMnist.Exists(requested) ? requested : null;
        }

        if (NeuralNet.Data.FashionMnist.Exists(DebianDirectory))
        {
            return DebianDirectory;
        }

        return SharedCopy();
    }

    public static string HowToGet(string? requested) =>
        $"""
        Fashion-MNIST was not found{(requested is null ? $" in {DebianDirectory}" : $" in {requested}")}.
        Install it with:   sudo apt-get install dataset-fashion-mnist
        or pass the folder holding {string.Join(", ", NeuralNet.Data.FashionMnist.FileNames.Select(n => n + ".gz"))} with --data DIR.
        """;

    /// <summary>Walks up from the working directory and the program's folder to a repository root and looks in ../shared/data/fashion-mnist.</summary>
    private static string? SharedCopy()
    {
        foreach (string start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (DirectoryInfo? folder = new(start); folder is not null; folder = folder.Parent)
            {
                if (File.Exists(Path.Combine(folder.FullName, "NeuralNet.sln")))
                {
                    string shared = Path.GetFullPath(Path.Combine(folder.FullName, "..", "shared", "data", "fashion-mnist"));
                    return NeuralNet.Data.FashionMnist.Exists(shared) ? shared : null;
                }
            }
        }

        return null;
    }
}
