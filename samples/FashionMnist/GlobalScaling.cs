using MathNet.Numerics.LinearAlgebra;

namespace FashionMnistSample;

/// <summary>
/// Scales every pixel with one mean and deviation (those of the training images), as <c>transforms.Normalize</c> with
/// one channel does: <c>x' = (x − μ)/σ</c>. The images hold k/255 for a byte k, so the scaling is a table of 256 values.
/// </summary>
internal static class GlobalScaling
{
    /// <summary>The input value of each byte 0…255: standardised with the training images' mean and deviation, or k/255 unchanged.</summary>
    public static float[] Fit(Matrix<float> training, bool standardise)
    {
        (double mean, double deviation) = standardise ? Statistics(training) : (0, 1);
        float[] table = new float[256];
        for (int k = 0; k < 256; k++)
        {
            // Unscaled, the value the IDX reader gives a byte: k · (1/255) in float.
            table[k] = standardise ? (float)(((k / 255.0) - mean) / deviation) : k * (1f / 255);
        }

        return table;
    }

    /// <summary>Replaces each pixel of the given images by its value in <paramref name="table"/>.</summary>
    /// <summary>The mean and the (biased) deviation of every pixel value of the training images, pixels as k/255.</summary>
    public static (double Mean, double Deviation) Statistics(Matrix<float> training)
    {
        long[] counts = new long[256];
        foreach (float value in training.AsColumnMajorArray())
        {
            counts[Byte(value)]++;
        }

        double n = 0, sum = 0, squares = 0;
        for (int k = 0; k < 256; k++)
        {
            double pixel = k / 255.0;
            n += counts[k];
            sum += counts[k] * pixel;
            squares += counts[k] * pixel * pixel;
        }

        double mean = sum / n;
        return (mean, Math.Sqrt((squares / n) - (mean * mean)));
    }

    public static void Apply(float[] table, params IEnumerable<Matrix<float>?> images)
    {
        foreach (Matrix<float>? matrix in images)
        {
            if (matrix is not null)
            {
                Span<float> values = matrix.AsColumnMajorArray();
                for (int i = 0; i < values.Length; i++)
                {
                    values[i] = table[Byte(values[i])];
                }
            }
        }
    }

    private static int Byte(float unitPixel) => (int)MathF.Round(unitPixel * 255f);
}
