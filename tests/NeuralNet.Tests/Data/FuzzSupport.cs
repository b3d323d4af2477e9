using NeuralNet.Data;

namespace NeuralNet.Tests.Data;

/// <summary>Runs one fuzz case: only the documented outcome may come out, within a memory bound.</summary>
internal static class FuzzSupport
{
    /// <summary>
    /// Runs <paramref name="action"/>; it may succeed or throw <see cref="DataFileException"/> with a message of at most
    /// <paramref name="maxMessage"/> characters, and may allocate at most <paramref name="maxAllocated"/> bytes.
    /// Anything else (IndexOutOfRange, NullReference, OutOfMemory, InvalidData, Overflow, …) fails with the case.
    /// </summary>
    public static DataFileException? Expect(Action action, string because, long maxAllocated, int maxMessage = 600)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        DataFileException? rejected = null;
        try
        {
            action();
        }
        catch (DataFileException error)
        {
            rejected = error;
        }
        catch (Exception error)
        {
            throw new Xunit.Sdk.XunitException($"{because}: undocumented {error.GetType().Name}: {error}");
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        allocated.Should().BeLessThanOrEqualTo(maxAllocated, because);
        rejected?.Message.Length.Should().BeLessThanOrEqualTo(maxMessage, because);
        return rejected;
    }

    public static byte[] FlipBit(byte[] bytes, Random random)
    {
        byte[] copy = (byte[])bytes.Clone();
        copy[random.Next(copy.Length)] ^= (byte)(1 << random.Next(8));
        return copy;
    }
}
