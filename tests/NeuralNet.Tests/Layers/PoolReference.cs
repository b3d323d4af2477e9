using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Layers;

namespace NeuralNet.Tests.Layers;

/// <summary>
/// 2-D pooling written out from PyTorch's definitions, in double, with plain nested loops over an explicitly padded
/// window: the oracle the pooling layers are compared with.
/// </summary>
/// <remarks>
/// <c>out[n, c, i, j] = max (or mean) over 0 ≤ a &lt; kₕ, 0 ≤ b &lt; k_w of padded[n, c, sₕ·i + a, s_w·j + b]</c>, where
/// the padded input is −∞ (max) or 0 (mean) outside the image, and <c>OH = ⌊(H + 2pₕ − kₕ)/sₕ⌋ + 1</c>.
/// Samples are columns; element <c>(c, h, w)</c> of a sample is row <c>(c·H + h)·W + w</c>.
/// </remarks>
internal static class PoolReference
{
    public static Shape OutputShape(Shape input, (int H, int W) k, (int H, int W) s, (int H, int W) p) =>
        Shape.Of(input[0], ((input[1] + (2 * p.H) - k.H) / s.H) + 1, ((input[2] + (2 * p.W) - k.W) / s.W) + 1);

    /// <summary>Max pooling; <paramref name="gradient"/> (if given) is sent to the first maximum of each window, into <paramref name="inputGradient"/>.</summary>
    public static Matrix<double> Max(Matrix<double> x, Shape shape, (int H, int W) k, (int H, int W) s, (int H, int W) p, Matrix<double>? gradient, out Matrix<double> inputGradient)
    {
        Shape output = OutputShape(shape, k, s, p);
        var y = Matrix<double>.Build.Dense(output.Size, x.ColumnCount);
        inputGradient = Matrix<double>.Build.Dense(x.RowCount, x.ColumnCount);
        for (int n = 0; n < x.ColumnCount; n++)
        {
            for (int c = 0; c < shape[0]; c++)
            {
                for (int i = 0; i < output[1]; i++)
                {
                    for (int j = 0; j < output[2]; j++)
                    {
                        double best = double.NegativeInfinity;
                        int at = -1;
                        for (int a = 0; a < k.H; a++)
                        {
                            for (int b = 0; b < k.W; b++)
                            {
                                int h = (s.H * i) + a - p.H, w = (s.W * j) + b - p.W;
                                if (h < 0 || h >= shape[1] || w < 0 || w >= shape[2])
                                {
                                    continue; // −∞: never the maximum
                                }

                                int row = (((c * shape[1]) + h) * shape[2]) + w;
                                if (at < 0 || x[row, n] > best)
                                {
                                    best = x[row, n];
                                    at = row;
                                }
                            }
                        }

                        int o = (((c * output[1]) + i) * output[2]) + j;
                        y[o, n] = best;
                        if (gradient is not null)
                        {
                            inputGradient[at, n] += gradient[o, n];
                        }
                    }
                }
            }
        }

        return y;
    }

    /// <summary>Average pooling with zero padding; the divisor is <c>kₕ·k_w</c>, or with <paramref name="countIncludePad"/> false the covered input elements.</summary>
    public static Matrix<double> Avg(Matrix<double> x, Shape shape, (int H, int W) k, (int H, int W) s, (int H, int W) p, bool countIncludePad, Matrix<double>? gradient, out Matrix<double> inputGradient)
    {
        Shape output = OutputShape(shape, k, s, p);
        var y = Matrix<double>.Build.Dense(output.Size, x.ColumnCount);
        inputGradient = Matrix<double>.Build.Dense(x.RowCount, x.ColumnCount);
        for (int n = 0; n < x.ColumnCount; n++)
        {
            for (int c = 0; c < shape[0]; c++)
            {
                for (int i = 0; i < output[1]; i++)
                {
                    for (int j = 0; j < output[2]; j++)
                    {
                        double sum = 0;
                        int inside = 0;
                        for (int a = 0; a < k.H; a++)
                        {
                            for (int b = 0; b < k.W; b++)
                            {
                                int h = (s.H * i) + a - p.H, w = (s.W * j) + b - p.W;
                                if (h >= 0 && h < shape[1] && w >= 0 && w < shape[2])
                                {
                                    sum += x[(((c * shape[1]) + h) * shape[2]) + w, n];
                                    inside++;
                                }
                            }
                        }

                        double divisor = countIncludePad ? k.H * k.W : inside;
                        int o = (((c * output[1]) + i) * output[2]) + j;
                        y[o, n] = sum / divisor;
                        if (gradient is null)
                        {
                            continue;
                        }

                        for (int a = 0; a < k.H; a++)
                        {
                            for (int b = 0; b < k.W; b++)
                            {
                                int h = (s.H * i) + a - p.H, w = (s.W * j) + b - p.W;
                                if (h >= 0 && h < shape[1] && w >= 0 && w < shape[2])
                                {
                                    inputGradient[(((c * shape[1]) + h) * shape[2]) + w, n] += gradient[o, n] / divisor;
                                }
                            }
                        }
                    }
                }
            }
        }

        return y;
    }
}

/// <summary>One row of the pooling test table: window settings, sample shape and batch size.</summary>
public sealed record PoolConfig(string Description, (int H, int W) Kernel, (int H, int W) Stride, (int H, int W) Padding, Shape Shape, int Batch)
{
    /// <summary>The table: square and non-square windows and strides, padding, odd sizes, batch 1, channels 1, 3 and 5.</summary>
    public static TheoryData<PoolConfig> Table() =>
    [
        new("kernel 2 stride 2 on (3, 6, 6)", (2, 2), (2, 2), (0, 0), Shape.Of(3, 6, 6), 2),
        new("kernel 3 stride 1 padding 1 on (1, 5, 5), batch 1", (3, 3), (1, 1), (1, 1), Shape.Of(1, 5, 5), 1),
        new("kernel (3, 2) stride (2, 1) padding (1, 0) on (5, 7, 6)", (3, 2), (2, 1), (1, 0), Shape.Of(5, 7, 6), 3),
        new("kernel (2, 3) stride (1, 2) padding (1, 1) on (3, 5, 8)", (2, 3), (1, 2), (1, 1), Shape.Of(3, 5, 8), 2),
        new("kernel 2 stride 2 on odd (3, 7, 5): last row and column dropped", (2, 2), (2, 2), (0, 0), Shape.Of(3, 7, 5), 2),
        new("kernel 3 stride 2 padding 1 on (5, 9, 7), batch 1", (3, 3), (2, 2), (1, 1), Shape.Of(5, 9, 7), 1),
        new("kernel 3 stride 3 on (1, 8, 11): two rows and columns dropped", (3, 3), (3, 3), (0, 0), Shape.Of(1, 8, 11), 4),
        new("kernel 4 stride 1 padding 2 on (1, 4, 4): even kernel with maximal padding", (4, 4), (1, 1), (2, 2), Shape.Of(1, 4, 4), 2),
    ];

    /// <summary>Seeded normal inputs.</summary>
    public Matrix<double> Input(int seed) => RandomValues.NormalMatrix(Shape.Size, Batch, new Random(seed));

    /// <inheritdoc />
    public override string ToString() => Description;
}
