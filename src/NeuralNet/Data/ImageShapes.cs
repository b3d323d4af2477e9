namespace NeuralNet.Data;

/// <summary>The shape check shared by the image transforms.</summary>
internal static class ImageShapes
{
    /// <summary>The (channels, height, width) of <paramref name="shape"/>.</summary>
    /// <exception cref="ArgumentException">The shape is not of rank 3; the message names the transform and says how to give a network its input shape.</exception>
    public static (int Channels, int Height, int Width) Require(Shape shape, string transform)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (shape.Rank != 3)
        {
            throw new ArgumentException(
                $"{transform} works on images (channels, height, width), but the samples are {shape}. Give the network its input shape, e.g. new Network<float>(Shape.Of(1, 28, 28), …) (a network that starts with a linear layer takes a flattening layer first), or read the samples from a source whose SampleShape is an image.",
                nameof(shape));
        }

        return (shape[0], shape[1], shape[2]);
    }
}
