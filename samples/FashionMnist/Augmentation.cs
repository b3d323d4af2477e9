using NeuralNet.Training;

namespace FashionMnistSample;

/// <summary>
/// Sample-local prototype of light augmentation (until the library's image pipeline lands): before every epoch, each
/// training image is rewritten in place from its original pixels, shifted by a random whole number of pixels in
/// [−<c>shift</c>, <c>shift</c>] in each direction (the uncovered border filled with background) and, with
/// <c>flip</c>, mirrored left–right with probability ½. Draws come from a seeded generator, so runs repeat exactly.
/// </summary>
/// <remarks>
/// The trainer gathers each batch from the training set's feature storage, so rewriting that storage at the start of
/// an epoch changes what the epoch trains on. The originals are kept as bytes (the IDX pixels, 47 MB for 60,000
/// images rather than 188 MB of floats), and <paramref name="scaled"/> maps a byte to the network's input value.
/// </remarks>
internal sealed class Augmentation : ITrainingCallback<float>
{
    private const int Side = 28;
    private readonly float[] features;
    private readonly byte[] originals;
    private readonly float[] scaled;
    private readonly int shift;
    private readonly bool flip;
    private readonly Random random;

    /// <param name="features">The training images, 784 values per image, column after column; rewritten every epoch.</param>
    /// <param name="unitPixels">The same images in [0, 1] as read (k/255), before any scaling.</param>
    /// <param name="scaled">The input value of each byte 0…255 (the scaling the other sets get).</param>
    public Augmentation(float[] features, ReadOnlySpan<float> unitPixels, float[] scaled, int shift, bool flip, int seed)
    {
        this.features = features;
        this.scaled = scaled;
        this.shift = shift;
        this.flip = flip;
        random = new Random(seed);
        originals = new byte[unitPixels.Length];
        for (int i = 0; i < originals.Length; i++)
        {
            originals[i] = (byte)Math.Round(unitPixels[i] * 255f);
        }
    }

    public void OnEpochStart(TrainingContext<float> context)
    {
        int images = originals.Length / (Side * Side);
        int span = (2 * shift) + 1;
        float background = scaled[0];
        for (int image = 0; image < images; image++)
        {
            int dy = random.Next(span) - shift, dx = random.Next(span) - shift;
            bool mirror = flip && random.Next(2) == 1;
            ReadOnlySpan<byte> source = originals.AsSpan(image * Side * Side, Side * Side);
            Span<float> target = features.AsSpan(image * Side * Side, Side * Side);
            for (int y = 0; y < Side; y++)
            {
                int sy = y - dy;
                Span<float> row = target.Slice(y * Side, Side);
                if (sy is < 0 or >= Side)
                {
                    row.Fill(background);
                    continue;
                }

                for (int x = 0; x < Side; x++)
                {
                    int sx = (mirror ? Side - 1 - x : x) - dx;
                    row[x] = sx is < 0 or >= Side ? background : scaled[source[(sy * Side) + sx]];
                }
            }
        }
    }
}
