using System.Numerics;

namespace NeuralNet.Data;

/// <summary>
/// Translates each image by a random whole number of pixels, <c>dy</c> down and <c>dx</c> right, each uniform in
/// <c>[−MaxShift, MaxShift]</c> and drawn independently, filling the uncovered pixels with 0; all channels move
/// together. The same as torchvision's <c>RandomCrop(size, padding=MaxShift)</c> (zero padding, then a crop of the
/// original size at a uniform offset) and Keras's <c>RandomTranslation</c> with <c>fill_mode="constant"</c>.
/// </summary>
/// <remarks>
/// Output pixel <c>(c, y, x)</c> is input pixel <c>(c, y − dy, x − dx)</c>, or 0 when that lies outside the image.
/// <c>dy</c> comes from the low 32 random bits and <c>dx</c> from the high 32 (each scaled to the <c>2·MaxShift + 1</c>
/// offsets). Works in place, row by row, in the order that reads every row before it is overwritten.
/// </remarks>
/// <example>
/// <code>
/// var options = new TrainerOptions { Epochs = 10, Seed = 1, Augmentation = [new RandomShift(2), new RandomHorizontalFlip()] };
/// </code>
/// </example>
public sealed class RandomShift : ISampleTransform
{
    /// <summary>Creates the transform.</summary>
    /// <param name="maxShift">The largest shift in pixels along each axis, ≥ 0 (0 leaves the image unchanged).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxShift"/> is negative.</exception>
    public RandomShift(int maxShift)
    {
        if (maxShift < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(maxShift), maxShift, "RandomShift: the largest shift must be ≥ 0 pixels.");
        }

        MaxShift = maxShift;
    }

    /// <summary>The largest shift in pixels along each axis.</summary>
    public int MaxShift { get; }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The samples are not images, or <see cref="MaxShift"/> is not below their height and width.</exception>
    public void CheckShape(Shape sampleShape)
    {
        (_, int height, int width) = ImageShapes.Require(sampleShape, ToString());
        if (MaxShift >= height || MaxShift >= width)
        {
            throw new ArgumentException(
                $"{this} shifts by up to {MaxShift} pixels, but the images are {sampleShape}: a shift must stay below the height ({height}) and width ({width}).",
                nameof(sampleShape));
        }
    }

    /// <inheritdoc />
    public void Apply<T>(Span<T> sample, Shape sampleShape, ulong randomBits)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(sampleShape);
        int offsets = (2 * MaxShift) + 1;
        int dy = (int)(((randomBits & uint.MaxValue) * (ulong)offsets) >> 32) - MaxShift;
        int dx = (int)(((randomBits >> 32) * (ulong)offsets) >> 32) - MaxShift;
        Shift(sample, sampleShape[0], sampleShape[1], sampleShape[2], dy, dx);
    }

    /// <summary>Moves every channel of <paramref name="sample"/> by (<paramref name="dy"/>, <paramref name="dx"/>) with zero fill.</summary>
    internal static void Shift<T>(Span<T> sample, int channels, int height, int width, int dy, int dx)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (dy == 0 && dx == 0)
        {
            return;
        }

        int kept = width - Math.Abs(dx);
        int from = Math.Max(0, -dx);
        int to = Math.Max(0, dx);
        int filled = dx > 0 ? 0 : kept;
        for (int c = 0; c < channels; c++)
        {
            Span<T> plane = sample.Slice(c * height * width, height * width);
            if (dy > 0)
            {
                // Moving down: fill the bottom rows first, each from a row above it that is still unread.
                for (int y = height - 1; y >= dy; y--)
                {
                    MoveRow(plane, y - dy, y, width, from, to, kept, filled);
                }

                plane[..(dy * width)].Clear();
            }
            else
            {
                for (int y = 0; y < height + dy; y++)
                {
                    MoveRow(plane, y - dy, y, width, from, to, kept, filled);
                }

                plane[((height + dy) * width)..].Clear();
            }
        }
    }

    /// <summary>Copies row <paramref name="source"/>'s kept columns into row <paramref name="target"/> (overlap-safe) and zeroes the rest of it.</summary>
    private static void MoveRow<T>(Span<T> plane, int source, int target, int width, int from, int to, int kept, int filled)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        plane.Slice((source * width) + from, kept).CopyTo(plane.Slice((target * width) + to, kept));
        plane.Slice((target * width) + filled, width - kept).Clear();
    }

    /// <summary>The transform as written in messages, e.g. <c>RandomShift(2)</c>.</summary>
    public override string ToString() => $"RandomShift({MaxShift})";
}
