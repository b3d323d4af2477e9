using System.Numerics;

namespace NeuralNet.Data;

/// <summary>
/// Mirrors each image left to right with probability <see cref="Probability"/> (torchvision's
/// <c>RandomHorizontalFlip(p)</c>): output pixel <c>(c, y, x)</c> is input pixel <c>(c, y, W − 1 − x)</c>, for all
/// channels at once.
/// </summary>
/// <remarks>The image is flipped when the top 53 random bits, as a uniform number in [0, 1), are below <see cref="Probability"/>.</remarks>
public sealed class RandomHorizontalFlip : ISampleTransform
{
    /// <summary>Creates the transform.</summary>
    /// <param name="probability">The chance that an image is flipped, in [0, 1]. Default 0.5.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="probability"/> is outside [0, 1] or NaN.</exception>
    public RandomHorizontalFlip(double probability = 0.5)
    {
        if (!(probability is >= 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(probability), probability, "RandomHorizontalFlip: the probability must be in [0, 1].");
        }

        Probability = probability;
    }

    /// <summary>The chance that an image is flipped.</summary>
    public double Probability { get; }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The samples are not images (channels, height, width).</exception>
    public void CheckShape(Shape sampleShape) => ImageShapes.Require(sampleShape, ToString());

    /// <inheritdoc />
    public void Apply<T>(Span<T> sample, Shape sampleShape, ulong randomBits)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(sampleShape);
        if ((randomBits >> 11) * (1.0 / (1UL << 53)) >= Probability)
        {
            return;
        }

        int width = sampleShape[2];
        int rows = sampleShape[0] * sampleShape[1];
        for (int row = 0; row < rows; row++)
        {
            sample.Slice(row * width, width).Reverse();
        }
    }

    /// <summary>The transform as written in messages, e.g. <c>RandomHorizontalFlip(0.5)</c>.</summary>
    public override string ToString() => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"RandomHorizontalFlip({Probability})");
}
