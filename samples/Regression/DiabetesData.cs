using NeuralNet.Data;

namespace RegressionSample;

/// <summary>The diabetes data embedded in the sample: 442 patients × 10 raw features, and the disease progression one year later.</summary>
internal static class DiabetesData
{
    public static Dataset<double> Load()
    {
        var features = CsvLoader.ReadMatrix<double>(Open("diabetes_data_raw.csv.gz"), "diabetes_data_raw.csv.gz", CsvFormat.Space);
        var targets = CsvLoader.ReadMatrix<double>(Open("diabetes_target.csv.gz"), "diabetes_target.csv.gz", CsvFormat.Space);
        return Dataset<double>.ForRegression(features, targets);
    }

    private static Stream Open(string resource) =>
        typeof(DiabetesData).Assembly.GetManifestResourceStream(resource)
        ?? throw new InvalidOperationException($"The sample was built without its embedded resource {resource}.");
}
