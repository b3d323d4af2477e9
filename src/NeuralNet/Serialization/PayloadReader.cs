using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Text;

namespace NeuralNet.Serialization;

/// <summary>
/// Reads little-endian fields from a checksum-verified payload in memory. Every count is checked against the bytes
/// that remain before anything is allocated, so a damaged or hostile size can only produce a
/// <see cref="ModelFormatException"/>.
/// </summary>
internal sealed class PayloadReader
{
    /// <summary>The longest name (layer kind, buffer name) the format allows.</summary>
    public const int MaxNameLength = 64;

    private readonly byte[] data;
    private readonly int end;
    private int position;

    public PayloadReader(byte[] data, string source)
        : this(data, 0, data.Length, source)
    {
    }

    private PayloadReader(byte[] data, int start, int end, string source)
    {
        this.data = data;
        this.end = end;
        position = start;
        Source = source;
    }

    /// <summary>The file name (or "the stream") used in messages.</summary>
    public string Source { get; }

    public int Remaining => end - position;

    public byte ReadByte(string what) => Take(1, what)[0];

    public uint ReadUInt32(string what) => BinaryPrimitives.ReadUInt32LittleEndian(Take(4, what));

    public ushort ReadUInt16(string what) => BinaryPrimitives.ReadUInt16LittleEndian(Take(2, what));

    public ulong ReadUInt64(string what) => BinaryPrimitives.ReadUInt64LittleEndian(Take(8, what));

    public double ReadDouble(string what) => BinaryPrimitives.ReadDoubleLittleEndian(Take(8, what));

    /// <summary>Reads a count and checks that it lies in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public int ReadCount(string what, int min, int max)
    {
        long offset = Offset;
        uint value = ReadUInt32(what);
        if (value < (uint)min || value > (uint)max)
        {
            throw Error(offset, $"{what} is {value}, outside the allowed range [{min}, {max}]");
        }

        return (int)value;
    }

    /// <summary>Reads a length-prefixed ASCII name such as a layer kind.</summary>
    public string ReadName(string what)
    {
        long offset = Offset;
        int length = ReadByte(what);
        if (length is 0 or > MaxNameLength)
        {
            throw Error(offset, $"{what} has length {length}; names are 1 to {MaxNameLength} characters");
        }

        ReadOnlySpan<byte> bytes = Take(length, what);
        foreach (byte b in bytes)
        {
            if (!IsNameByte(b))
            {
                throw Error(offset, $"{what} holds byte 0x{b:X2}; names use only letters, digits, '_', '.' and '-'");
            }
        }

        return Encoding.ASCII.GetString(bytes);
    }

    public byte[] ReadBytes(int count, string what) => Take(count, what).ToArray();

    /// <summary>Reads <paramref name="destination"/>.Length values of the file's element type.</summary>
    public void ReadElements<T>(Span<T> destination, string what)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int size = ElementTypes.Of<T>() == ElementType.Float32 ? 4 : 8;
        RequireRemaining((long)destination.Length * size, what);
        ReadOnlySpan<byte> bytes = Take(destination.Length * size, what);
        if (BitConverter.IsLittleEndian)
        {
            MemoryMarshal.Cast<byte, T>(bytes).CopyTo(destination);
            return;
        }

        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = size == 4
                ? T.CreateTruncating(BinaryPrimitives.ReadSingleLittleEndian(bytes.Slice(i * 4, 4)))
                : T.CreateTruncating(BinaryPrimitives.ReadDoubleLittleEndian(bytes.Slice(i * 8, 8)));
        }
    }

    /// <summary>
    /// Reads a tensor (rows, columns, column-major values), checking its size against the remaining bytes before
    /// allocating, and optionally its shape against what the caller expects.
    /// </summary>
    public T[] ReadTensor<T>(string what, out int rows, out int columns, int? expectedRows = null, int? expectedColumns = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        long offset = Offset;
        rows = ReadCount($"{what}: row count", 1, int.MaxValue);
        columns = ReadCount($"{what}: column count", 1, int.MaxValue);
        if ((expectedRows is int r && r != rows) || (expectedColumns is int c && c != columns))
        {
            throw Error(offset, $"{what} is {rows} × {columns}, expected {expectedRows?.ToString(CultureInfo.InvariantCulture) ?? "any"} × {expectedColumns?.ToString(CultureInfo.InvariantCulture) ?? "any"}");
        }

        long count = (long)rows * columns;
        int size = ElementTypes.Of<T>() == ElementType.Float32 ? 4 : 8;
        if (count > Array.MaxLength || count * size > Remaining)
        {
            throw Error(offset, $"{what} claims {rows} × {columns} values ({count * size:N0} bytes) but only {Remaining:N0} bytes remain");
        }

        var values = new T[count];
        ReadElements<T>(values, what);
        return values;
    }

    /// <summary>Reads a length-prefixed block and returns a reader confined to it.</summary>
    public PayloadReader ReadBlock(string what)
    {
        int length = ReadCount($"{what}: block length", 0, Remaining);
        var block = new PayloadReader(data, position, position + length, Source);
        position += length;
        return block;
    }

    /// <summary>Throws unless every byte has been read: leftover bytes mean the writer and reader disagree.</summary>
    public void ExpectEnd(string what)
    {
        if (position != end)
        {
            throw Error(Offset, $"{what} has {Remaining:N0} unread bytes");
        }
    }

    /// <summary>A <see cref="ModelFormatException"/> naming the source and the payload offset.</summary>
    public ModelFormatException Error(string message) => Error(Offset, message);

    internal static void CheckName(string name) => Layers.StoredNames.Check(name, nameof(name));

    private static bool IsNameByte(byte b) => Layers.StoredNames.IsValidByte(b);

    private long Offset => ModelContainer.HeaderLength + position;

    private ModelFormatException Error(long offset, string message) =>
        new($"{Source}: {message} (at byte {offset:N0}).");

    private void RequireRemaining(long count, string what)
    {
        if (count > Remaining)
        {
            throw Error(Offset, $"{what} needs {count:N0} bytes but only {Remaining:N0} remain");
        }
    }

    private ReadOnlySpan<byte> Take(int count, string what)
    {
        RequireRemaining(count, what);
        var span = new ReadOnlySpan<byte>(data, position, count);
        position += count;
        return span;
    }
}
