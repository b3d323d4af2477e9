using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace NeuralNet.Training;

/// <summary>Clipping of all gradients together by their global L2 norm (as PyTorch's <c>clip_grad_norm_</c>).</summary>
internal static class GradientClipping
{
    /// <summary>
    /// Computes <c>‖g‖ = √(Σₚ Σᵢ gₚᵢ²)</c> over every parameter's gradient (see <see cref="GlobalNorm{T}"/>) and, when it
    /// exceeds <paramref name="maxNorm"/>, scales every gradient by <c>maxNorm / ‖g‖</c> so the global norm becomes
    /// <paramref name="maxNorm"/>; the direction is unchanged.
    /// </summary>
    /// <returns>The norm before clipping.</returns>
    public static double ClipByGlobalNorm<T>(IReadOnlyList<Parameter<T>> parameters, double maxNorm)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double norm = GlobalNorm(parameters);
        if (norm > maxNorm)
        {
            T scale = T.CreateChecked(maxNorm / norm);
            for (int p = 0; p < parameters.Count; p++)
            {
                Span<T> gradient = parameters[p].GradientSpan;
                TensorPrimitives.Multiply(gradient, scale, gradient);
            }
        }

        return norm;
    }

    /// <summary>
    /// The global L2 norm of the gradients, with the squares summed in double: a float gradient of 2e22 has a finite
    /// norm although its square does not fit in a float. When even the double sum overflows (a norm above about 1e154,
    /// or an infinite entry), the entries are divided by the largest magnitude before squaring. The result is ∞ only
    /// if an entry is, and NaN if an entry is.
    /// </summary>
    public static double GlobalNorm<T>(IReadOnlyList<Parameter<T>> parameters)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double sumOfSquares = 0;
        for (int p = 0; p < parameters.Count; p++)
        {
            sumOfSquares += SumOfSquares<T>(parameters[p].GradientSpan);
        }

        return double.IsPositiveInfinity(sumOfSquares) ? ScaledNorm(parameters) : Math.Sqrt(sumOfSquares);
    }

    private static double SumOfSquares<T>(ReadOnlySpan<T> values)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(double))
        {
            return TensorPrimitives.SumOfSquares(MemoryMarshal.Cast<T, double>(values));
        }

        if (typeof(T) == typeof(float))
        {
            return SumOfSquaresWidened(MemoryMarshal.Cast<T, float>(values));
        }

        double sum = 0;
        foreach (T value in values)
        {
            double v = double.CreateChecked(value);
            sum += v * v;
        }

        return sum;
    }

    /// <summary>Σ xᵢ² with every float widened to double before it is squared.</summary>
    private static double SumOfSquaresWidened(ReadOnlySpan<float> values)
    {
        Vector<double> low = Vector<double>.Zero;
        Vector<double> high = Vector<double>.Zero;
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= values.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                Vector.Widen(new Vector<float>(values.Slice(i)), out Vector<double> first, out Vector<double> second);
                low += first * first;
                high += second * second;
            }
        }

        double sum = Vector.Sum(low + high);
        for (; i < values.Length; i++)
        {
            double v = values[i];
            sum += v * v;
        }

        return sum;
    }

    /// <summary><c>m · √(Σ (g / m)²)</c> with <c>m</c> the largest magnitude: the slow path for sums that overflow double.</summary>
    private static double ScaledNorm<T>(IReadOnlyList<Parameter<T>> parameters)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double largest = 0;
        for (int p = 0; p < parameters.Count; p++)
        {
            ReadOnlySpan<T> gradient = parameters[p].GradientSpan;
            if (!gradient.IsEmpty)
            {
                largest = Math.Max(largest, Math.Abs(double.CreateChecked(TensorPrimitives.MaxMagnitude(gradient))));
            }
        }

        if (!double.IsFinite(largest))
        {
            return largest;
        }

        double sum = 0;
        for (int p = 0; p < parameters.Count; p++)
        {
            foreach (T value in parameters[p].GradientSpan)
            {
                double v = double.CreateChecked(value) / largest;
                sum += v * v;
            }
        }

        return largest * Math.Sqrt(sum);
    }
}
