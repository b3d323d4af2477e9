using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Compute;

namespace NeuralNet.Losses;

/// <summary>One element's loss <c>ℓ(x, t)</c> and its derivative <c>∂ℓ/∂x</c>, in double.</summary>
internal interface IElementLoss
{
    /// <summary>The loss of prediction <paramref name="x"/> against target <paramref name="t"/> in output row <paramref name="row"/>.</summary>
    double Evaluate(double x, double t, int row, out double derivative);

    /// <summary>Why <paramref name="t"/> is not a valid target, or <see langword="null"/> when it is.</summary>
    string? TargetError(double t);
}

/// <summary>
/// The reductions shared by the element-wise losses (squared error, L1, Huber, smooth L1, binary cross-entropy):
/// mean over batch × outputs, sum, or per sample (the sum over the sample's outputs). Sums run in double.
/// </summary>
internal static class ElementwiseLoss
{
    public static T Compute<T, TLoss>(string name, Reduction reduction, Matrix<T> output, Matrix<T> targets, Matrix<T>? outputGradient, TLoss loss)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TLoss : struct, IElementLoss
    {
        Check(name, output, targets, loss);
        LossErrors.CheckSameShape(name, output, outputGradient, "the output gradient", nameof(outputGradient));
        if (reduction == Reduction.None)
        {
            throw LossErrors.NoScalar(name);
        }

        T[] x = DenseStorage.Of(output, nameof(output));
        T[] t = DenseStorage.Of(targets, nameof(targets));
        T[]? g = outputGradient is null ? null : DenseStorage.Of(outputGradient, nameof(outputGradient));
        int rows = output.RowCount;
        double scale = reduction == Reduction.Mean ? 1.0 / x.Length : 1.0;
        double total = 0;
        for (int i = 0; i < x.Length; i++)
        {
            total += loss.Evaluate(double.CreateChecked(x[i]), double.CreateChecked(t[i]), i % rows, out double derivative);
            if (g is not null)
            {
                g[i] = T.CreateChecked(derivative * scale);
            }
        }

        return T.CreateChecked(total * scale);
    }

    public static void PerSample<T, TLoss>(string name, Matrix<T> output, Matrix<T> targets, Span<T> losses, TLoss loss)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TLoss : struct, IElementLoss
    {
        Check(name, output, targets, loss);
        LossErrors.CheckPerSample(name, output.ColumnCount, losses.Length);
        T[] x = DenseStorage.Of(output, nameof(output));
        T[] t = DenseStorage.Of(targets, nameof(targets));
        int rows = output.RowCount;
        for (int j = 0; j < losses.Length; j++)
        {
            double sample = 0;
            for (int r = 0; r < rows; r++)
            {
                int i = (j * rows) + r;
                sample += loss.Evaluate(double.CreateChecked(x[i]), double.CreateChecked(t[i]), r, out _);
            }

            losses[j] = T.CreateChecked(sample);
        }
    }

    private static void Check<T, TLoss>(string name, Matrix<T> output, Matrix<T> targets, TLoss loss)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TLoss : struct, IElementLoss
    {
        LossErrors.CheckOutput(name, output);
        ArgumentNullException.ThrowIfNull(targets);
        LossErrors.CheckSameShape(name, output, targets, "the targets", nameof(targets));
        T[] t = DenseStorage.Of(targets, nameof(targets));
        int rows = targets.RowCount;
        for (int i = 0; i < t.Length; i++)
        {
            double value = double.CreateChecked(t[i]);
            if (loss.TargetError(value) is string error)
            {
                throw new ArgumentOutOfRangeException(nameof(targets), value, $"{name}: the target of output {i % rows} for sample {i / rows} is {value}; {error}.");
            }
        }
    }
}
