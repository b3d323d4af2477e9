using System.Buffers.Binary;

namespace NeuralNet.Tests.Data;

/// <summary>Builds IDX file contents: magic (0, 0, type, rank), big-endian sizes, data.</summary>
internal static class IdxBytes
{
    public static byte[] Build(int[] dimensions, byte[] data, byte typeCode = 0x08)
    {
        var bytes = new byte[4 + (4 * dimensions.Length) + data.Length];
        bytes[2] = typeCode;
        bytes[3] = (byte)dimensions.Length;
        for (int i = 0; i < dimensions.Length; i++)
        {
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + (4 * i)), dimensions[i]);
        }

        data.CopyTo(bytes, 4 + (4 * dimensions.Length));
        return bytes;
    }
}
