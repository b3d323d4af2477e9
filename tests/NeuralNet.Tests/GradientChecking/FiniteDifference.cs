using MathNet.Numerics.LinearAlgebra;

namespace NeuralNet.Tests.GradientChecking;

/// <summary>Central finite differences in double precision, the independent oracle for every backward pass.</summary>
internal static class FiniteDifference
{
    public const double Step = 1e-6;

    /// <summary>
    /// Numerical gradient of the scalar <paramref name="f"/> with respect to every element of <paramref name="values"/>,
    /// perturbing the storage in place and restoring it.
    /// </summary>
    public static double[] Gradient(Span<double> values, Func<double> f)
    {
        var gradient = new double[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            double original = values[i];
            values[i] = original + Step;
            double plus = f();
            values[i] = original - Step;
            double minus = f();
            values[i] = original;
            gradient[i] = (plus - minus) / (2 * Step);
        }

        return gradient;
    }

    /// <summary>
    /// Asserts two gradients agree entry by entry to a relative error of 1e-6; entries below 1e-2 in size are held to
    /// an absolute 1e-8 instead, the level of the central difference's own rounding error (about ε·|f| / h).
    /// </summary>
    public static void ShouldMatch(double[] analytic, double[] numeric, string what)
    {
        analytic.Length.Should().Be(numeric.Length, what);
        for (int i = 0; i < numeric.Length; i++)
        {
            double error = Math.Abs(analytic[i] - numeric[i]);
            double tolerance = 1e-6 * Math.Max(Math.Abs(numeric[i]), 1e-2);
            error.Should().BeLessThan(tolerance, $"{what}[{i}]: analytic {analytic[i]} vs numeric {numeric[i]}");
        }
    }

    /// <summary>A matrix of standard-normal draws from a seeded source.</summary>
    public static Matrix<double> RandomMatrix(int rows, int columns, Random random, double scale = 1.0)
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

    /// <summary>Moves every element at least <paramref name="margin"/> away from zero (keeps the sign), to stay off kinks.</summary>
    public static Matrix<double> AwayFromZero(Matrix<double> matrix, double margin) =>
        matrix.Map(v => v >= 0 ? v + margin : v - margin);

    /// <summary>The scalar <c>⟨G, y⟩</c>, whose gradient with respect to <c>y</c> is the upstream gradient <c>G</c>.</summary>
    public static double Dot(Matrix<double> upstream, Matrix<double> output) =>
        upstream.PointwiseMultiply(output).Enumerate().Sum();
}
