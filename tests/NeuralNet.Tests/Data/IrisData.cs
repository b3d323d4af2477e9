using NeuralNet.Data;

namespace NeuralNet.Tests.Data;

/// <summary>Fisher's iris (public domain; see <c>Data/Iris/README.md</c>), copied to the test output directory.</summary>
internal static class IrisData
{
    /// <summary>The file as shipped: a header line, then 4 features and a class index (0 setosa, 1 versicolor, 2 virginica) per line.</summary>
    public static string Path => System.IO.Path.Combine(AppContext.BaseDirectory, "Data", "Iris", "iris.csv");

    /// <summary>The class names the header gives for the indices 0, 1 and 2.</summary>
    public static readonly string[] Species = ["setosa", "versicolor", "virginica"];

    /// <summary>The 150 samples with class indices.</summary>
    public static Dataset<float> Load() => CsvLoader.ReadClassification<float>(Path, format: new CsvFormat { HasHeader = true });

    /// <summary>The same data as text with a header line and the species names in the label column, as most iris CSV files have it.</summary>
    public static string WithSpeciesNames() =>
        "sepal_length,sepal_width,petal_length,petal_width,species\n"
        + string.Concat(File.ReadLines(Path).Skip(1).Select(line =>
        {
            int comma = line.LastIndexOf(',');
            return $"{line[..comma]},{Species[int.Parse(line[(comma + 1)..], System.Globalization.CultureInfo.InvariantCulture)]}\n";
        }));
}
