using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Layers;
using NeuralNet.Serialization;

namespace NeuralNet;

/// <content>Saving and loading networks (ONNX export and import: the NeuralNet.Onnx package).</content>
public sealed partial class Network<T>
{
    /// <summary>
    /// Saves the network (layer kinds, their settings and all parameters) to a model file, atomically: the file is
    /// written to a temporary name in the same directory, flushed to disk, then renamed over
    /// <paramref name="path"/>, so an existing file is never left half-written.
    /// </summary>
    /// <remarks>The format is versioned, little-endian and checksummed; see <c>docs/model-format.md</c>.</remarks>
    /// <param name="path">The destination file; its directory must exist. Conventionally <c>*.nnet</c>.</param>
    /// <exception cref="NotSupportedException">A layer's kind is not registered (the message names it); nothing is written.</exception>
    /// <exception cref="InvalidOperationException">A layer's state could not be loaded back (a NaN running variance); nothing is written.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public void Save(string path) => ModelFile.Save(this, path);

    /// <summary>Writes the network as a model file to <paramref name="stream"/> (one write of the complete file).</summary>
    /// <param name="stream">A writable stream; left open, positioned after the file.</param>
    /// <exception cref="NotSupportedException">A layer's kind is not registered (the message names it); nothing is written.</exception>
    /// <exception cref="InvalidOperationException">A layer's state could not be loaded back; nothing is written.</exception>
    public void Save(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        stream.Write(ModelFile.Serialize(this));
    }

    /// <summary>Loads a network saved by <see cref="Save(string)"/>, verifying the whole file before building it.</summary>
    /// <param name="path">The model file.</param>
    /// <returns>A new network with the saved layers and parameters; its predictions are bit-identical to the saved one's.</returns>
    /// <exception cref="ModelFormatException">
    /// The file is not a valid model file for element type <typeparamref name="T"/>: wrong magic bytes, unsupported
    /// version, a checkpoint instead of a model, float/double mismatch, truncated, damaged (checksum), absurd sizes,
    /// an unknown layer kind (the message lists the registered ones), or trailing bytes. The message names the file and the problem.
    /// </exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static Network<T> Load(string path) => ModelFile.Load<T>(path);

    /// <summary>
    /// Reads one model file from <paramref name="stream"/>, verifying it before building the network; the stream is
    /// left just after the file's checksum, so further data may follow.
    /// </summary>
    /// <param name="stream">A readable stream positioned at the file's first byte; seekable or not.</param>
    /// <returns>A new network with the saved layers and parameters.</returns>
    /// <exception cref="ModelFormatException">The data is not a valid model file for element type <typeparamref name="T"/> (see <see cref="Load(string)"/>).</exception>
    public static Network<T> Load(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return ModelFile.Load<T>(stream, "the stream");
    }
}
