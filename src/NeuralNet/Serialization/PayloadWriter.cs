using System.Buffers;
using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Text;

namespace NeuralNet.Serialization;

/// <summary>Appends little-endian fields to an in-memory payload (see <c>docs/model-format.md</c>).</summary>
internal sealed class PayloadWriter
{
    private readonly ArrayBufferWriter<byte> buffer = new(4096);

    public int Length => buffer.WrittenCount;

    public ReadOnlySpan<byte> WrittenSpan => buffer.WrittenSpan;

    public void WriteByte(byte value)
    {
        buffer.GetSpan(1)[0] = value;
        buffer.Advance(1);
    }

    public void WriteUInt16(ushort value)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(buffer.GetSpan(2), value);
        buffer.Advance(2);
    }

    public void WriteUInt32(uint value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(buffer.GetSpan(4), value);
        buffer.Advance(4);
    }

    /// <summary>Writes a count or size, which the format stores as an unsigned 32-bit integer.</summary>
    public void WriteCount(int value)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value);
        WriteUInt32((uint)value);
    }

    public void WriteUInt64(ulong value)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(buffer.GetSpan(8), value);
        buffer.Advance(8);
    }

    public void WriteDouble(double value)
    {
        BinaryPrimitives.WriteDoubleLittleEndian(buffer.GetSpan(8), value);
        buffer.Advance(8);
    }

    /// <summary>A short ASCII name: one length byte, then the bytes.</summary>
    public void WriteName(string name)
    {
        PayloadReader.CheckName(name);
        WriteByte((byte)name.Length);
        int written = Encoding.ASCII.GetBytes(name, buffer.GetSpan(name.Length));
        buffer.Advance(written);
    }

    public void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(buffer.GetSpan(bytes.Length));
        buffer.Advance(bytes.Length);
    }

    /// <summary>Values as little-endian IEEE 754 numbers of the element type's width.</summary>
    public void WriteElements<T>(ReadOnlySpan<T> values)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (BitConverter.IsLittleEndian)
        {
            WriteBytes(MemoryMarshal.AsBytes(values));
            return;
        }

        foreach (T value in values)
        {
            if (typeof(T) == typeof(float))
            {
                BinaryPrimitives.WriteSingleLittleEndian(buffer.GetSpan(4), float.CreateTruncating(value));
                buffer.Advance(4);
            }
            else
            {
                BinaryPrimitives.WriteDoubleLittleEndian(buffer.GetSpan(8), double.CreateTruncating(value));
                buffer.Advance(8);
            }
        }
    }

    /// <summary>A matrix: rows, columns, then its values in column-major order.</summary>
    public void WriteTensor<T>(int rows, int columns, ReadOnlySpan<T> values)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if ((long)rows * columns != values.Length)
        {
            throw new ArgumentException($"A {rows} × {columns} tensor needs {(long)rows * columns} values, got {values.Length}.", nameof(values));
        }

        WriteCount(rows);
        WriteCount(columns);
        WriteElements(values);
    }

    /// <summary>Writes a length-prefixed block whose content <paramref name="write"/> produces.</summary>
    public void WriteBlock(Action<PayloadWriter> write)
    {
        var block = new PayloadWriter();
        write(block);
        WriteCount(block.Length);
        WriteBytes(block.WrittenSpan);
    }
}
