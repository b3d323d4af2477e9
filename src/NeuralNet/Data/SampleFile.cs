using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace NeuralNet.Data;

/// <summary>
/// Training samples streamed from a file, so that data larger than memory can train: an <see cref="IDataSource{T}"/>
/// that reads each batch's samples with positional reads when the trainer asks for them. Only the labels (4 bytes per
/// sample) are held in memory. Write the file once with <see cref="Write"/>; the layout is in docs/sample-file-format.md.
/// </summary>
/// <remarks>
/// There is no cache of its own: repeated reads of the same samples are served by the operating system's file cache,
/// and a file larger than memory is read from disk each epoch (a random order of fixed-size records). Reads are
/// serialized by a lock and allocate nothing. Training from a file gives bit for bit the weights that training from
/// the same samples in a <see cref="Dataset{T}"/> gives. Validation data and <c>Evaluate</c> take a <see cref="Dataset{T}"/>.
/// </remarks>
/// <example>
/// <code>
/// SampleFile&lt;float&gt;.Write("train.samples", train, Shape.Of(1, 28, 28), SampleEncoding.UInt8);
/// using var file = new SampleFile&lt;float&gt;("train.samples");
/// trainer.Fit(file, validation);
/// </code>
/// </example>
/// <typeparam name="T">Element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class SampleFile<T> : IDataSource<T>, IDisposable
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private const int WriteChunk = 256;

    private readonly SafeFileHandle file;
    private readonly SampleFileLayout layout;
    private readonly int[]? labels;
    private readonly byte[] record;
    private readonly Lock gate = new();

    /// <summary>Opens a file written by <see cref="Write"/> and reads its header and labels.</summary>
    /// <param name="path">The file.</param>
    /// <exception cref="InvalidDataException">The file is not a sample file, is truncated, or holds a label outside its classes; the message names the file and the field.</exception>
    /// <exception cref="IOException">The file cannot be opened.</exception>
    public SampleFile(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = path;
        file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.RandomAccess);
        try
        {
            layout = SampleFileLayout.Read(file, path);
            labels = layout.ClassCount > 0 ? ReadLabels() : null;
        }
        catch
        {
            file.Dispose();
            throw;
        }

        record = new byte[layout.RecordBytes];
    }

    /// <summary>The file's path.</summary>
    public string Path { get; }

    /// <summary>How the file stores feature values.</summary>
    public SampleEncoding Encoding => layout.Encoding;

    /// <inheritdoc />
    public int Count => layout.Count;

    /// <inheritdoc />
    public int FeatureCount => layout.SampleShape.Size;

    /// <summary>The shape of one sample, as written into the file.</summary>
    public Shape SampleShape => layout.SampleShape;

    Shape? IDataSource<T>.SampleShape => layout.SampleShape;

    /// <inheritdoc />
    public int ClassCount => layout.ClassCount;

    /// <inheritdoc />
    public int TargetCount => layout.TargetCount;

    /// <summary>
    /// Writes the samples of <paramref name="data"/> (e.g. a <see cref="Dataset{T}"/>, or any source read a chunk at a
    /// time) to a new file, replacing an existing one.
    /// </summary>
    /// <param name="path">The file to write.</param>
    /// <param name="data">The samples, with their labels or targets.</param>
    /// <param name="sampleShape">The shape of one sample, e.g. <c>(1, 28, 28)</c>; by default the source's, or <c>(features)</c>.</param>
    /// <param name="encoding">How to store feature values. <see cref="SampleEncoding.UInt8"/> takes whole numbers 0 … 255 only.</param>
    /// <exception cref="ArgumentException">The shape's size is not the feature count; the source is empty or has neither labels nor targets;
    /// a value is NaN or ∞, outside float32's range, or (for <see cref="SampleEncoding.UInt8"/>) not a whole number in [0, 255]; the message names the sample and feature.</exception>
    public static void Write(string path, IDataSource<T> data, Shape? sampleShape = null, SampleEncoding encoding = SampleEncoding.Float32)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(data);
        if (!Enum.IsDefined(encoding))
        {
            throw new ArgumentOutOfRangeException(nameof(encoding), encoding, "SampleFile.Write: unknown encoding.");
        }

        Shape shape = sampleShape ?? data.SampleShape ?? Shape.Vector(Math.Max(data.FeatureCount, 1));
        if (shape.Size != data.FeatureCount)
        {
            throw new ArgumentException($"SampleFile.Write: the shape {shape} has {shape.Size} elements but the samples have {data.FeatureCount} features.", nameof(sampleShape));
        }

        if (data.Count == 0 || (data.ClassCount > 0) == (data.TargetCount > 0))
        {
            throw new ArgumentException(
                $"SampleFile.Write: the source has {data.Count} samples, {data.ClassCount} classes and {data.TargetCount} targets; it needs samples and either labels or targets.", nameof(data));
        }

        var layout = new SampleFileLayout(encoding, shape, data.Count, data.ClassCount, data.TargetCount);
        using FileStream stream = new(path, FileMode.Create, FileAccess.Write, FileShare.None);
        stream.Write(layout.ToHeader());
        stream.Position = layout.RecordsOffset;
        int chunk = Math.Min(WriteChunk, data.Count);
        int[] indices = new int[chunk];
        T[] features = new T[chunk * data.FeatureCount];
        int[] chunkLabels = new int[chunk];
        T[] targets = new T[chunk * data.TargetCount];
        byte[] bytes = new byte[layout.RecordBytes];
        byte[] labelBytes = new byte[layout.ClassCount > 0 ? 4L * data.Count : 0];
        for (int first = 0; first < data.Count; first += chunk)
        {
            int size = Math.Min(chunk, data.Count - first);
            for (int j = 0; j < size; j++)
            {
                indices[j] = first + j;
            }

            data.ReadSamples(indices.AsSpan(0, size), features, chunkLabels, targets);
            for (int j = 0; j < size; j++)
            {
                int sample = first + j;
                EncodeFeatures(features.AsSpan(j * data.FeatureCount, data.FeatureCount), encoding, bytes, sample);
                EncodeTargets(targets.AsSpan(j * data.TargetCount, data.TargetCount), bytes.AsSpan(data.FeatureCount * layout.ValueBytes), sample);
                stream.Write(bytes);
                if (layout.ClassCount > 0)
                {
                    BinaryPrimitives.WriteInt32LittleEndian(labelBytes.AsSpan(4 * sample), chunkLabels[j]);
                }
            }
        }

        stream.Position = layout.LabelsOffset;
        stream.Write(labelBytes);
    }

    /// <inheritdoc />
    public void ReadSamples(ReadOnlySpan<int> indices, Span<T> features, Span<int> labels, Span<T> targets)
    {
        SampleRead.CheckDestinations(indices.Length, FeatureCount, ClassCount, TargetCount, features, labels, targets);
        int featureCount = FeatureCount;
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(file.IsClosed, this);
            for (int j = 0; j < indices.Length; j++)
            {
                int index = indices[j];
                SampleRead.CheckIndex(index, Count, nameof(indices));
                SampleFileLayout.ReadRecord(file, record, layout.RecordsOffset + ((long)layout.RecordBytes * index), Path, index);
                Span<T> sample = features.Slice(j * featureCount, featureCount);
                DecodeFeatures(record, sample, index);
                if (this.labels is int[] all)
                {
                    labels[j] = all[index];
                }
                else
                {
                    DecodeTargets(record.AsSpan(featureCount * layout.ValueBytes), targets.Slice(j * TargetCount, TargetCount), index);
                }
            }
        }
    }

    /// <summary>Closes the file.</summary>
    public void Dispose()
    {
        lock (gate)
        {
            file.Dispose();
        }
    }

    /// <summary>The source as written in messages: path, count, shape, encoding.</summary>
    public override string ToString() => $"SampleFile('{Path}', {Count} samples of {SampleShape}, {Encoding})";

    private int[] ReadLabels()
    {
        byte[] bytes = new byte[4L * layout.Count];
        SampleFileLayout.ReadExactly(file, bytes, layout.LabelsOffset, Path, "labels");
        int[] result = new int[layout.Count];
        for (int j = 0; j < result.Length; j++)
        {
            result[j] = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(4 * j));
            if ((uint)result[j] >= (uint)layout.ClassCount)
            {
                throw SampleFileLayout.Damaged(Path, $"the label of sample {j} is {result[j]}, outside its {layout.ClassCount} classes");
            }
        }

        return result;
    }

    private void DecodeFeatures(ReadOnlySpan<byte> bytes, Span<T> sample, int index)
    {
        if (layout.Encoding == SampleEncoding.UInt8)
        {
            for (int i = 0; i < sample.Length; i++)
            {
                sample[i] = T.CreateTruncating(bytes[i]);
            }

            return;
        }

        DecodeFloats(bytes[..(4 * sample.Length)], sample, index, "feature");
    }

    private void DecodeTargets(ReadOnlySpan<byte> bytes, Span<T> target, int index) => DecodeFloats(bytes, target, index, "target");

    /// <summary>Little-endian float32 to <typeparamref name="T"/>, refusing NaN and ∞ (which <see cref="Write"/> never writes).</summary>
    private void DecodeFloats(ReadOnlySpan<byte> bytes, Span<T> values, int index, string what)
    {
        if (BitConverter.IsLittleEndian)
        {
            ReadOnlySpan<float> floats = MemoryMarshal.Cast<byte, float>(bytes);
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = T.CreateTruncating(floats[i]);
            }
        }
        else
        {
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = T.CreateTruncating(BinaryPrimitives.ReadSingleLittleEndian(bytes[(4 * i)..]));
            }
        }

        for (int i = 0; i < values.Length; i++)
        {
            if (!T.IsFinite(values[i]))
            {
                throw SampleFileLayout.Damaged(Path, $"{what} {i} of sample {index} is {values[i]}; a sample file holds finite values only");
            }
        }
    }

    private static void EncodeFeatures(ReadOnlySpan<T> values, SampleEncoding encoding, Span<byte> bytes, int sample)
    {
        if (encoding == SampleEncoding.Float32)
        {
            EncodeFloats(values, bytes, sample, "feature");
            return;
        }

        for (int i = 0; i < values.Length; i++)
        {
            T value = values[i];
            if (!(value >= T.Zero && value <= T.CreateTruncating(255)) || T.Round(value) != value)
            {
                throw new ArgumentException(
                    $"SampleFile.Write: feature {i} of sample {sample} is {value}; the UInt8 encoding stores whole numbers 0 … 255 only (use Float32 for other values).", "data");
            }

            bytes[i] = byte.CreateTruncating(value);
        }
    }

    private static void EncodeTargets(ReadOnlySpan<T> values, Span<byte> bytes, int sample) => EncodeFloats(values, bytes, sample, "target");

    private static void EncodeFloats(ReadOnlySpan<T> values, Span<byte> bytes, int sample, string what)
    {
        for (int i = 0; i < values.Length; i++)
        {
            float value = float.CreateTruncating(values[i]);
            if (!float.IsFinite(value))
            {
                throw new ArgumentException(
                    $"SampleFile.Write: {what} {i} of sample {sample} is {values[i]}, which is not a finite float32; a sample file holds finite values only.", "data");
            }

            BinaryPrimitives.WriteSingleLittleEndian(bytes[(4 * i)..], value);
        }
    }
}
