using MathNet.Numerics.LinearAlgebra;

namespace NeuralNet.Tests;

/// <summary>Seeded random test data (the finite-difference oracle itself is <see cref="NeuralNet.Diagnostics.GradientCheck"/>).</summary>
internal static class RandomValues
{
    /// <summary>A matrix of standard-normal draws (Box–Muller) from a seeded source, times <paramref name="scale"/>.</summary>
    public static Matrix<double> NormalMatrix(int rows, int columns, Random random, double scale = 1.0)
    {
        var matrix = Matrix<double>.Build.Dense(rows, columns);
        for (int j = 0; j < columns; j++)
        {
            for (int i = 0; i < rows; i++)
            {
                double u1 = 1.0 - random.NextDouble();
                double u2 = random.NextDouble();
                matrix[i, j] = scale * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
            }
        }

        return matrix;
    }

    /// <summary>Values drawn uniformly from [−1, 1) with a fixed seed.</summary>
    public static double[] Uniform(int count, int seed)
    {
        var random = new Random(seed);
        var values = new double[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = (2 * random.NextDouble()) - 1;
        }

        return values;
    }
}
