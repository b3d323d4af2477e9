using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Compute;

namespace NeuralNet.Data;

/// <summary>
/// Shared machinery of the affine scalers: <c>x'ᵢ = (xᵢ − offsetᵢ) / scaleᵢ</c> per feature <c>i</c> (row), with the
/// offsets and scales computed by the derived class.
/// </summary>
/// <typeparam name="T">Element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public abstract class FeatureScaler<T> : IFeatureScaler<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private double[]? offsets;
    private double[]? scales;

    /// <inheritdoc />
    public bool IsFitted => offsets is not null;

    /// <summary>Number of features seen by <see cref="Fit"/>.</summary>
    /// <exception cref="InvalidOperationException">Not fitted.</exception>
    public int FeatureCount => Offsets.Count;

    /// <summary>The fitted per-feature offsets (subtracted first).</summary>
    /// <exception cref="InvalidOperationException">Not fitted.</exception>
    public IReadOnlyList<double> Offsets => offsets ?? throw NotFitted();

    /// <summary>The fitted per-feature divisors (applied after the offset).</summary>
    /// <exception cref="InvalidOperationException">Not fitted.</exception>
    public IReadOnlyList<double> Scales => scales ?? throw NotFitted();

    /// <inheritdoc />
    public void Fit(Matrix<T> features)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (features.ColumnCount == 0)
        {
            throw new ArgumentException($"{ScalerName}: cannot fit on zero samples.", nameof(features));
        }

        int rows = features.RowCount;
        int samples = features.ColumnCount;
        T[] data = DenseStorage.Of(features, nameof(features));
        var newOffsets = new double[rows];
        var newScales = new double[rows];

        // One feature at a time through a reused buffer, so fitting needs memory for one row, not a copy of the data.
        var values = new double[samples];
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < samples; j++)
            {
                double value = double.CreateChecked(data[(j * rows) + i]);
                if (!double.IsFinite(value))
                {
                    throw new ArgumentException($"{ScalerName}: feature {i} of sample {j} is {value}; fit needs finite values.", nameof(features));
                }

                values[j] = value;
            }

            (newOffsets[i], newScales[i]) = Statistics(values);
        }

        offsets = newOffsets;
        scales = newScales;
    }

    /// <inheritdoc />
    public Matrix<T> Transform(Matrix<T> features)
    {
        ArgumentNullException.ThrowIfNull(features);
        double[] offset = offsets ?? throw NotFitted();
        double[] scale = scales!;
        if (features.RowCount != offset.Length)
        {
            throw new ArgumentException(
                $"{ScalerName}: fitted on {offset.Length} features but the data has {features.RowCount} (features × samples, one sample per column).",
                nameof(features));
        }

        int rows = features.RowCount;
        T[] source = DenseStorage.Of(features, nameof(features));
        var result = new T[source.Length];
        for (int index = 0; index < source.Length; index++)
        {
            int i = index % rows;
            result[index] = T.CreateChecked((double.CreateChecked(source[index]) - offset[i]) / scale[i]);
        }

        return Matrix<T>.Build.Dense(rows, features.ColumnCount, result);
    }

    /// <summary>Undoes <see cref="Transform"/>: returns a new matrix with <c>x = x' · scale + offset</c> per feature (e.g. to turn scaled predictions back into the original units).</summary>
    /// <param name="scaled">Scaled data with the fitted number of features (rows).</param>
    /// <exception cref="InvalidOperationException">The scaler has not been fitted.</exception>
    public Matrix<T> InverseTransform(Matrix<T> scaled)
    {
        ArgumentNullException.ThrowIfNull(scaled);
        double[] offset = offsets ?? throw NotFitted();
        double[] scale = scales!;
        if (scaled.RowCount != offset.Length)
        {
            throw new ArgumentException($"{ScalerName}: fitted on {offset.Length} features but the data has {scaled.RowCount}.", nameof(scaled));
        }

        int rows = scaled.RowCount;
        T[] source = DenseStorage.Of(scaled, nameof(scaled));
        var result = new T[source.Length];
        for (int index = 0; index < source.Length; index++)
        {
            int i = index % rows;
            result[index] = T.CreateChecked((double.CreateChecked(source[index]) * scale[i]) + offset[i]);
        }

        return Matrix<T>.Build.Dense(rows, scaled.ColumnCount, result);
    }

    /// <summary>Fits on <paramref name="features"/> and returns them transformed.</summary>
    public Matrix<T> FitTransform(Matrix<T> features)
    {
        Fit(features);
        return Transform(features);
    }

    /// <summary>The offset and the (non-zero) divisor of one feature, from its values over the training samples.</summary>
    /// <param name="values">The feature's value in each training sample, all finite.</param>
    protected abstract (double Offset, double Scale) Statistics(IReadOnlyList<double> values);

    /// <summary>The scaler's type name without the generic arity, for messages (e.g. <c>StandardScaler</c>).</summary>
    private string ScalerName => GetType().Name.Split('`')[0];

    private InvalidOperationException NotFitted() => new($"{ScalerName} has not been fitted: call Fit on the training features first.");
}
