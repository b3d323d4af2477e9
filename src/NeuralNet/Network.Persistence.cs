using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Layers;
using NeuralNet.Onnx;
using NeuralNet.Serialization;

namespace NeuralNet;

/// <content>Saving, loading and exporting networks.</content>
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

    /// <summary>
    /// Exports the network as an ONNX model (written atomically) that ONNX Runtime and other ONNX tools can run.
    /// </summary>
    /// <remarks>
    /// <para>
    /// The model takes <c>"input"</c> of shape <c>[batch, features]</c> (one sample per row, the ONNX convention)
    /// and returns <c>"output"</c> of shape <c>[batch, outputs]</c>; the batch dimension is symbolic.
    /// All tensors are float32: a <c>Network&lt;double&gt;</c> is exported with its weights rounded to float.
    /// </para>
    /// <para>
    /// Each layer gives its own node (<see cref="ILayer{T}.ToOnnx"/>); the operators are listed in <c>docs/layers.md</c>.
    /// The opset is 13, or the highest any layer's operator needs.
    /// </para>
    /// </remarks>
    /// <param name="path">The destination <c>.onnx</c> file; its directory must exist.</param>
    /// <exception cref="NotSupportedException">A layer has no ONNX equivalent (the message names it and says why); nothing is written.</exception>
    /// <exception cref="InvalidOperationException">A weight or attribute is not a finite float32 (1e300 in a double network), so the file could not be imported; nothing is written.</exception>
    public void ExportOnnx(string path) => OnnxExporter.Export(this, path);

    /// <summary>
    /// Imports an ONNX model made of the layers this library has — for example a PyTorch MLP exported with
    /// <c>torch.onnx.export</c> — as a network with element type <typeparamref name="T"/>.
    /// </summary>
    /// <remarks>
    /// The graph must be one chain from a single data input to the output. Each operator is imported by the layer that
    /// registered it (<see cref="OnnxImportAttribute"/>; the list is <see cref="LayerRegistry.OnnxOperators"/> and
    /// <c>docs/layers.md</c>), e.g. Gemm or MatMul followed by Add as a linear layer. Float attributes (slope, alpha) are
    /// read as the shortest decimal that rounds to the stored float.
    /// </remarks>
    /// <param name="path">The <c>.onnx</c> file.</param>
    /// <returns>A new network whose <see cref="Predict(Matrix{T})"/> on <c>features × batch</c> input matches the ONNX model on the transposed input.</returns>
    /// <exception cref="ModelFormatException">The file is not ONNX, or uses an operator, attribute or graph shape outside the subset (the message names the node).</exception>
    public static Network<T> ImportOnnx(string path) => OnnxImporter.Import<T>(path);
}
