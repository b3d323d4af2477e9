namespace NeuralNet.Data;

/// <summary>
/// The contents of an IDX file (the MNIST / Fashion-MNIST format): its dimensions and its unsigned bytes in the
/// file's row-major order (the last dimension varies fastest).
/// </summary>
/// <param name="Source">The file the array was read from.</param>
/// <param name="Dimensions">The sizes from the header, outermost first; e.g. <c>[60000, 28, 28]</c> for images.</param>
/// <param name="Values">The data, <c>Π Dimensions</c> bytes.</param>
public sealed record IdxArray(string Source, IReadOnlyList<int> Dimensions, byte[] Values)
{
    /// <summary>Number of items: the first dimension.</summary>
    public int ItemCount => Dimensions[0];

    /// <summary>Bytes per item: the product of the remaining dimensions (1 for a one-dimensional file).</summary>
    public int ItemSize => ItemCount == 0 ? 0 : Values.Length / ItemCount;
}
