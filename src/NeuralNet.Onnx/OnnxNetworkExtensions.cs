using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Layers;
using NeuralNet.Serialization;

namespace NeuralNet.Onnx;

/// <summary>
/// ONNX export and import as members of <see cref="Network{T}"/>: with <c>using NeuralNet.Onnx;</c>, write
/// <c>network.ExportOnnx(path)</c> and <c>Network&lt;float&gt;.ImportOnnx(path)</c>.
/// </summary>
public static class OnnxNetworkExtensions
{
    /// <param name="network">The network to export.</param>
    /// <typeparam name="T">Element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    extension<T>(Network<T> network)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
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
        public void ExportOnnx(string path) => OnnxExporter.Export(network, path);

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
        /// <returns>A new network whose <see cref="Network{T}.Predict(Matrix{T})"/> on <c>features × batch</c> input matches the ONNX model on the transposed input.</returns>
        /// <exception cref="ModelFormatException">The file is not ONNX, or uses an operator, attribute or graph shape outside the subset (the message names the node).</exception>
        public static Network<T> ImportOnnx(string path) => OnnxImporter.Import<T>(path);
    }
}
