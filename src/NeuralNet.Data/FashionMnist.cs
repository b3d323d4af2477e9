using System.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace NeuralNet.Data;

/// <summary>
/// Loads Fashion-MNIST (Zalando, MIT licence): 60,000 training and 10,000 test grey images of 28 × 28 pixels in
/// 10 clothing classes, stored as four IDX files (gzipped or raw).
/// </summary>
/// <remarks>
/// The files come from <c>https://github.com/zalandoresearch/fashion-mnist</c> or a system package (on Debian,
/// <c>sudo apt-get install dataset-fashion-mnist</c>); the caller says where they are.
/// </remarks>
public static class FashionMnist
{
    /// <summary>Number of input features: 28 × 28 pixels.</summary>
    public const int FeatureCount = 28 * 28;

    /// <summary>The file names without the <c>.gz</c> suffix: training images, training labels, test images, test labels.</summary>
    public static IReadOnlyList<string> FileNames { get; } =
        ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"];

    /// <summary>The names of the 10 classes, indexed by label.</summary>
    public static IReadOnlyList<string> ClassNames { get; } =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>Whether all four files are in <paramref name="directory"/> (each gzipped or raw).</summary>
    public static bool Exists(string directory) => FileNames.All(name => FindFile(directory, name) is not null);

    /// <summary>
    /// Loads the training and test sets with pixels scaled to <c>[0, 1]</c>: features are <c>784 × samples</c>,
    /// one image per column (row-major pixels), labels in <c>[0, 10)</c>.
    /// </summary>
    /// <param name="directory">The folder holding the four files (<see cref="FileNames"/>, each gzipped or raw).</param>
    /// <typeparam name="T">Element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <exception cref="FileNotFoundException">A file is missing; the message says how to install the data.</exception>
    /// <exception cref="DataFileException">A file is not valid IDX, images and labels disagree in number, or a label is not one of the 10 classes (the message names the file and the item).</exception>
    public static (Dataset<T> Training, Dataset<T> Test) Load<T>(string directory)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        string[] paths = [.. FileNames.Select(name => FindFile(directory, name) ?? throw Missing(directory, name))];
        return (LoadPart<T>(paths[0], paths[1]), LoadPart<T>(paths[2], paths[3]));
    }

    private static Dataset<T> LoadPart<T>(string imagesPath, string labelsPath)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T> images = IdxReader.ReadImages<T>(imagesPath);
        int[] labels = IdxReader.ReadLabels(labelsPath);
        if (images.RowCount != FeatureCount)
        {
            throw new DataFileException(imagesPath, 4, $"expected 28 × 28 images ({FeatureCount} pixels each) but the images have {images.RowCount} pixels.");
        }

        if (labels.Length != images.ColumnCount)
        {
            throw new DataFileException(labelsPath, 4, $"{labels.Length} labels for the {images.ColumnCount} images of {imagesPath}.");
        }

        for (int item = 0; item < labels.Length; item++)
        {
            if (labels[item] >= ClassNames.Count)
            {
                // A one-dimensional IDX file has an 8-byte header, then one byte per label.
                throw new DataFileException(labelsPath, 8 + item, $"label {labels[item]} of item {item} is not one of the {ClassNames.Count} classes [0, {ClassNames.Count - 1}].");
            }
        }

        return Dataset<T>.ForClassification(images, labels, ClassNames.Count);
    }

    private static string? FindFile(string directory, string name)
    {
        foreach (string candidate in new[] { name + ".gz", name })
        {
            string path = Path.Combine(directory, candidate);
            if (File.Exists(path))
            {
                return path;
            }
        }

        return null;
    }

    private static FileNotFoundException Missing(string directory, string name) =>
        new($"Fashion-MNIST file {name}(.gz) is not in {directory}. Download the four files from https://github.com/zalandoresearch/fashion-mnist (or install a system package, e.g. `sudo apt-get install dataset-fashion-mnist` on Debian) and pass their folder.",
            Path.Combine(directory, name + ".gz"));
}
