using System.Globalization;
using System.IO.Compression;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Data;

namespace Digits;

/// <summary>Loads the UCI digits embedded in this assembly as a dataset with pixels scaled to [0, 1].</summary>
public static class DigitsData
{
    /// <summary>Number of pixels per image (8 × 8).</summary>
    public const int Pixels = 64;

    /// <summary>Number of classes (the digits 0–9).</summary>
    public const int Classes = 10;

    /// <summary>Reads all 1797 samples.</summary>
    public static Dataset<float> Load()
    {
        using Stream compressed = typeof(DigitsData).Assembly.GetManifestResourceStream("digits.csv.gz")
            ?? throw new InvalidOperationException("The embedded resource digits.csv.gz is missing from the Digits sample.");
        using var reader = new StreamReader(new GZipStream(compressed, CompressionMode.Decompress));
        var columns = new List<float[]>();
        var labels = new List<int>();
        int lineNumber = 0;
        while (reader.ReadLine() is string line)
        {
            lineNumber++;
            string[] cells = line.Split(',');
            if (cells.Length != Pixels + 1)
            {
                throw new InvalidDataException($"digits.csv.gz line {lineNumber}: expected {Pixels + 1} values, found {cells.Length}.");
            }

            var pixels = new float[Pixels];
            for (int i = 0; i < Pixels; i++)
            {
                pixels[i] = float.Parse(cells[i], CultureInfo.InvariantCulture) / 16f;
            }

            columns.Add(pixels);
            labels.Add(int.Parse(cells[Pixels], CultureInfo.InvariantCulture));
        }

        return Dataset<float>.ForClassification(Matrix<float>.Build.DenseOfColumnArrays(columns), labels, Classes);
    }
}
