namespace NeuralNet.Compute;

/// <summary>
/// Per-thread packing space for the float32 product, on the pinned heap and 64-byte aligned, so the product
/// allocates only the first time a thread needs a given size (never in steady state).
/// </summary>
internal sealed unsafe class PackingBuffers
{
    private const int Alignment = 64;

    [ThreadStatic]
    private static PackingBuffers? current;

    private float[] blockA = [];
    private float[] blockB = [];

    /// <summary>The calling thread's buffers.</summary>
    public static PackingBuffers Current => current ??= new PackingBuffers();

    /// <summary>An aligned pointer to at least <paramref name="count"/> floats for a packed block of A.</summary>
    public float* BlockA(int count) => Aligned(ref blockA, count);

    /// <summary>An aligned pointer to at least <paramref name="count"/> floats for a packed block of B.</summary>
    public float* BlockB(int count) => Aligned(ref blockB, count);

    private static float* Aligned(ref float[] buffer, int count)
    {
        int needed = count + (Alignment / sizeof(float));
        if (buffer.Length < needed)
        {
            // Pinned, so the pointer stays valid without a fixed block spanning the whole product.
            buffer = GC.AllocateUninitializedArray<float>(needed, pinned: true);
        }

        fixed (float* start = buffer)
        {
            nint address = (nint)start;
            return (float*)((address + Alignment - 1) & ~(nint)(Alignment - 1));
        }
    }
}
