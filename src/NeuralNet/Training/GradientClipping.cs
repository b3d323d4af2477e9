using System.Numerics;
using System.Numerics.Tensors;

namespace NeuralNet.Training;

/// <summary>Clipping of all gradients together by their global L2 norm (as PyTorch's <c>clip_grad_norm_</c>).</summary>
internal static class GradientClipping
{
    /// <summary>
    /// Computes <c>‖g‖ = √(Σₚ Σᵢ gₚᵢ²)</c> over every parameter's gradient (accumulated in double) and, when it exceeds
    /// <paramref name="maxNorm"/>, scales every gradient by <c>maxNorm / ‖g‖</c> so the global norm becomes
    /// <paramref name="maxNorm"/>; the direction is unchanged.
    /// </summary>
    /// <returns>The norm before clipping.</returns>
    public static double ClipByGlobalNorm<T>(IReadOnlyList<Parameter<T>> parameters, double maxNorm)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double sumOfSquares = 0;
        for (int p = 0; p < parameters.Count; p++)
        {
            sumOfSquares += double.CreateChecked(TensorPrimitives.SumOfSquares<T>(parameters[p].GradientSpan));
        }

        double norm = Math.Sqrt(sumOfSquares);
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
}
