using System.Numerics;
using System.Numerics.Tensors;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Compute;

namespace NeuralNet.Data;

/// <summary>
/// Standardizes each channel: <c>x ← (x − mean[c]) / std[c]</c>, computed in the element type as torchvision's
/// <c>Normalize(mean, std)</c> does (a subtraction, then a division). One mean and deviation per channel of
/// <c>(channels, height, width)</c> images, or a single pair for samples of any shape.
/// </summary>
/// <remarks>
/// As an entry of <see cref="Training.TrainerOptions.Augmentation"/> it changes training batches only: normalize
/// validation and test data the same way with <see cref="ApplyTo{T}"/> (or put a <see cref="Layers.Normalization{T}"/>
/// layer first in the network, which is saved with the model and applies at inference too). It is useful on its own
/// to turn raw pixel values streamed from a <see cref="SampleFile{T}"/> of bytes into the scale the network expects.
/// </remarks>
/// <example>
/// <code>
/// var scale = new NormalizeChannels([0.0], [255.0]);            // bytes 0…255 to [0, 1]
/// var fashion = new NormalizeChannels([0.2860], [0.3530]);      // Fashion-MNIST's mean and deviation
/// </code>
/// </example>
public sealed class NormalizeChannels : ISampleTransform
{
    private readonly double[] means;
    private readonly double[] deviations;

    /// <summary>Creates the transform.</summary>
    /// <param name="mean">One finite mean per channel (or a single one for any shape).</param>
    /// <param name="standardDeviation">One finite, positive standard deviation per channel, as many as means.</param>
    /// <exception cref="ArgumentException">The lists are empty or of different lengths, a mean is not finite, or a deviation is not finite and positive; names the entry.</exception>
    public NormalizeChannels(IReadOnlyList<double> mean, IReadOnlyList<double> standardDeviation)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(standardDeviation);
        if (mean.Count == 0 || mean.Count != standardDeviation.Count)
        {
            throw new ArgumentException(
                $"NormalizeChannels: needs one mean and one standard deviation per channel, got {mean.Count} means and {standardDeviation.Count} deviations.", nameof(standardDeviation));
        }

        means = [.. mean];
        deviations = [.. standardDeviation];
        for (int c = 0; c < means.Length; c++)
        {
            if (!double.IsFinite(means[c]))
            {
                throw new ArgumentOutOfRangeException(nameof(mean), means[c], $"NormalizeChannels: the mean of channel {c} must be finite.");
            }

            if (!(deviations[c] > 0) || !double.IsFinite(deviations[c]))
            {
                throw new ArgumentOutOfRangeException(nameof(standardDeviation), deviations[c], $"NormalizeChannels: the standard deviation of channel {c} must be finite and positive.");
            }
        }
    }

    /// <summary>The mean subtracted from each channel.</summary>
    public IReadOnlyList<double> Mean => means;

    /// <summary>The standard deviation each channel is divided by.</summary>
    public IReadOnlyList<double> StandardDeviation => deviations;

    /// <inheritdoc />
    /// <exception cref="ArgumentException">There is more than one channel's statistics and the samples are not images with that many channels.</exception>
    public void CheckShape(Shape sampleShape)
    {
        ArgumentNullException.ThrowIfNull(sampleShape);
        if (means.Length == 1)
        {
            return;
        }

        (int channels, _, _) = ImageShapes.Require(sampleShape, ToString());
        if (channels != means.Length)
        {
            throw new ArgumentException(
                $"{this} has statistics for {means.Length} channels, but the images {sampleShape} have {channels}.", nameof(sampleShape));
        }
    }

    /// <inheritdoc />
    /// <remarks>Uses no random bits.</remarks>
    public void Apply<T>(Span<T> sample, Shape sampleShape, ulong randomBits)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(sampleShape);
        int plane = sample.Length / means.Length;
        for (int c = 0; c < means.Length; c++)
        {
            Span<T> values = sample.Slice(c * plane, plane);
            TensorPrimitives.Subtract(values, T.CreateChecked(means[c]), values);
            TensorPrimitives.Divide(values, T.CreateChecked(deviations[c]), values);
        }
    }

    /// <summary>Normalizes every sample (column) of <paramref name="samples"/> in place, exactly as training batches are: for validation and test data.</summary>
    /// <param name="samples">A dense <c>sampleShape.Size × samples</c> matrix, one sample per column.</param>
    /// <param name="sampleShape">The shape of one sample.</param>
    /// <typeparam name="T">Element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <exception cref="ArgumentException">The shape does not fit the transform, or the matrix's row count is not the shape's size.</exception>
    public void ApplyTo<T>(Matrix<T> samples, Shape sampleShape)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(samples);
        CheckShape(sampleShape);
        if (samples.RowCount != sampleShape.Size)
        {
            throw new ArgumentException($"{this}: the samples have {samples.RowCount} rows but the shape {sampleShape} has {sampleShape.Size} elements.", nameof(samples));
        }

        T[] values = DenseStorage.Of(samples, nameof(samples));
        for (int j = 0; j < samples.ColumnCount; j++)
        {
            Apply(values.AsSpan(j * sampleShape.Size, sampleShape.Size), sampleShape, 0);
        }
    }

    /// <summary>The transform as written in messages, e.g. <c>NormalizeChannels(mean [0.5], std [0.25])</c>.</summary>
    public override string ToString() => string.Create(
        System.Globalization.CultureInfo.InvariantCulture, $"NormalizeChannels(mean [{string.Join(", ", means)}], std [{string.Join(", ", deviations)}])");
}
