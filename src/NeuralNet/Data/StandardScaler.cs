using System.Numerics;

namespace NeuralNet.Data;

/// <summary>
/// Standardisation: <c>x' = (x − μ) / σ</c> per feature, with the mean <c>μ</c> and the population standard
/// deviation <c>σ = √(Σ(x − μ)² / n)</c> of the training samples (as scikit-learn's StandardScaler).
/// </summary>
/// <remarks>
/// A feature that is constant in the training data (<c>σ = 0</c>) has no spread to divide by: it is only centred
/// (divisor 1), so it becomes 0 on the training data and keeps its distance from <c>μ</c> elsewhere.
/// </remarks>
/// <typeparam name="T">Element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class StandardScaler<T> : FeatureScaler<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc />
    protected override (double Offset, double Scale) Statistics(IReadOnlyList<double> values)
    {
        double mean = values.Average();
        double sumOfSquares = 0;
        foreach (double value in values)
        {
            sumOfSquares += (value - mean) * (value - mean);
        }

        double deviation = Math.Sqrt(sumOfSquares / values.Count);
        return (mean, deviation == 0 ? 1 : deviation);
    }
}
