using System.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace NeuralNet.Data;

/// <summary>
/// A per-feature affine rescaling <c>x' = (x − offset) / scale</c> whose statistics are learned by
/// <see cref="Fit"/> on training data and then applied unchanged to any data by <see cref="Transform"/>, so that
/// validation and test samples are scaled exactly as the training samples were.
/// </summary>
/// <typeparam name="T">Element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public interface IFeatureScaler<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Whether <see cref="Fit"/> has been called.</summary>
    bool IsFitted { get; }

    /// <summary>Learns the per-feature statistics from <c>features × samples</c> training data (one sample per column).</summary>
    /// <param name="features">At least one sample; finite values.</param>
    void Fit(Matrix<T> features);

    /// <summary>Returns a new <c>features × samples</c> matrix scaled with the fitted statistics.</summary>
    /// <param name="features">Data with the same number of features (rows) as the fitted data.</param>
    /// <exception cref="InvalidOperationException">The scaler has not been fitted.</exception>
    /// <exception cref="ArgumentException">The feature count differs from the fitted one.</exception>
    Matrix<T> Transform(Matrix<T> features);
}
