using MathNet.Numerics.LinearAlgebra;

namespace NeuralNet.Tests.Compute;

/// <summary>
/// MathNet's <c>Multiply</c> in double precision on the same float inputs, and the float rounding bound
/// each element of a float result must meet.
/// </summary>
internal static class GemmOracle
{
    /// <summary>
    /// Reads a column-major operand (with leading dimension) into a MathNet matrix of its stored shape.
    /// </summary>
    public static Matrix<double> Stored(float[] values, int rows, int columns, int ld) =>
        Matrix<double>.Build.Dense(rows, columns, (i, j) => values[i + (j * ld)]);

    /// <summary>
    /// Expected <c>α·op(A)·op(B) + β·C</c> (β = 0 ignores C) and, per element, the bound
    /// <c>(k + 2)·u·(|α|·Σₚ|op(A)ᵢₚ|·|op(B)ₚⱼ| + |β·Cᵢⱼ|)</c> with u the float unit roundoff: a rigorous bound for
    /// any summation order, with or without fused multiply-add.
    /// </summary>
    public static (Matrix<double> Expected, Matrix<double> Bound) Expect(
        bool transposeA, bool transposeB, Matrix<double> a, Matrix<double> b, double alpha, double beta, Matrix<double> c)
    {
        Matrix<double> opA = transposeA ? a.Transpose() : a;
        Matrix<double> opB = transposeB ? b.Transpose() : b;
        Matrix<double> product = opA.Multiply(opB);
        Matrix<double> magnitude = opA.PointwiseAbs().Multiply(opB.PointwiseAbs()) * Math.Abs(alpha);
        Matrix<double> expected = product * alpha;
        if (beta != 0)
        {
            expected += c * beta;
            magnitude += c.PointwiseAbs() * Math.Abs(beta);
        }

        const double unitRoundoff = 5.96e-8;
        return (expected, magnitude * ((opA.ColumnCount + 2) * unitRoundoff));
    }
}
