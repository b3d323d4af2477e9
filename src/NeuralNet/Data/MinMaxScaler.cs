using System.Numerics;

namespace NeuralNet.Data;

/// <summary>
/// Min-max scaling: <c>x' = (x − min) / (max − min)</c> per feature, mapping the training range to <c>[0, 1]</c>
/// (new data may fall outside it; it is not clipped).
/// </summary>
/// <remarks>
/// A feature that is constant in the training data (<c>max = min</c>) has no range to divide by: it is only
/// shifted (divisor 1), so it becomes 0 on the training data.
/// </remarks>
/// <typeparam name="T">Element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class MinMaxScaler<T> : FeatureScaler<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc />
    protected override (double Offset, double Scale) Statistics(IReadOnlyList<double> values)
    {
        double min = values.Min();
        double range = values.Max() - min;
        return (min, range == 0 ? 1 : range);
    }
}
