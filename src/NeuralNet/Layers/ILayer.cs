using System.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace NeuralNet.Layers;

/// <summary>
/// A vector function in a network: <c>y = f(x; θ)</c>, applied to a minibatch.
/// </summary>
/// <remarks>
/// <para>
/// <b>Shapes.</b> Each sample has a <see cref="Shape"/> (e.g. <c>(features)</c> or <c>(channels, height, width)</c>);
/// its elements fill the sample's column in row-major order. <see cref="GetOutputShape"/> maps input to output shapes,
/// and a network checks the whole chain when it is built.
/// </para>
/// <para>
/// <b>State as data.</b> <see cref="GetConfig"/> (kind and settings), <see cref="Parameters"/> and
/// <see cref="Buffers"/> describe the layer completely; model files, checkpoints and best-weight snapshots use only
/// these. A layer class registers its kind with <see cref="LayerKindAttribute"/> and a static <c>FromConfig</c>.
/// </para>
/// <para>
/// <b>Layout.</b> A minibatch is a matrix with <b>one sample per column</b>: <c>features × batch</c>.
/// MathNet stores matrices column-major, so each sample is contiguous and a linear layer is literally
/// <c>Y = W·X + b</c>.
/// </para>
/// <para>
/// <b>Training path.</b> <see cref="Forward"/> caches what <see cref="Backward"/> needs.
/// <see cref="Backward"/> receives <c>∂L/∂y</c>, stores <c>∂L/∂θ</c> in the layer's
/// <see cref="Parameters"/> (overwriting), and returns <c>∂L/∂x</c> for the previous layer.
/// Matrices returned by these two methods belong to the layer and are overwritten by its next call;
/// copy them if you need to keep them.
/// </para>
/// <para>
/// <b>Inference path.</b> <see cref="Predict"/> keeps no state in the layer, so one trained layer can
/// serve many threads at once.
/// </para>
/// </remarks>
/// <typeparam name="T">Element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public interface ILayer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>A short description with the shape, e.g. <c>Linear(784 → 128)</c>.</summary>
    string Name { get; }

    /// <summary>The shape of one input sample the layer requires, or <see langword="null"/> if it accepts several.</summary>
    Shape? InputShape { get; }

    /// <summary>The trainable parameters as (value, gradient) pairs; empty for activations. Names are unique within the layer.</summary>
    IReadOnlyList<Parameter<T>> Parameters { get; }

    /// <summary>
    /// The layer's state that is not trained by gradients but must be saved and resumed (running statistics, a random
    /// generator's state); empty for most layers. Names are unique within the layer.
    /// </summary>
    IReadOnlyList<LayerBuffer<T>> Buffers => [];

    /// <summary>Facts the network, trainer and exporters act on (identity at inference, outputs probabilities, …).</summary>
    LayerTraits Traits => LayerTraits.None;

    /// <summary>The shape of one output sample for input samples of shape <paramref name="inputShape"/>.</summary>
    /// <param name="inputShape">The shape of one input sample.</param>
    /// <exception cref="ArgumentException">The layer cannot take that shape; the message names the layer and both shapes.</exception>
    Shape GetOutputShape(Shape inputShape);

    /// <summary>
    /// Connects the layer to the shape of its input samples when a network is built, and returns the output shape.
    /// A layer whose computation needs more than the row count of its input matrix (a convolution needs height and
    /// width) records the shape here, and refuses to be connected to a different one later; the default just calls
    /// <see cref="GetOutputShape"/>.
    /// </summary>
    /// <param name="inputShape">The shape of one input sample.</param>
    /// <exception cref="ArgumentException">The layer cannot take that shape, or is already connected to another.</exception>
    Shape Connect(Shape inputShape) => GetOutputShape(inputShape);

    /// <summary>
    /// What the layer is, as data: its registered kind and its settings. With <see cref="Parameters"/> and
    /// <see cref="Buffers"/> this is everything a model file stores; <see cref="LayerRegistry.Create{T}"/> builds the
    /// layer back from it.
    /// </summary>
    LayerConfig GetConfig();

    /// <summary>The layer's ONNX operator, or <see cref="OnnxForm.NotSupported"/> with the reason.</summary>
    OnnxForm ToOnnx() => OnnxForm.NotSupported($"{Name} ({GetType().Name}) declares no ONNX form");

    /// <summary>Training forward pass on a <c>features × batch</c> minibatch; caches what <see cref="Backward"/> needs.</summary>
    /// <returns>The output, owned by the layer and valid until its next <see cref="Forward"/>.</returns>
    Matrix<T> Forward(Matrix<T> input);

    /// <summary>Backward pass: stores parameter gradients and returns <c>∂L/∂x</c>.</summary>
    /// <param name="outputGradient"><c>∂L/∂y</c>, the same shape as the last <see cref="Forward"/> output.</param>
    /// <returns><c>∂L/∂x</c>, owned by the layer and valid until its next <see cref="Backward"/>.</returns>
    Matrix<T> Backward(Matrix<T> outputGradient);

    /// <summary>Stateless inference: writes <c>f(input)</c> into <paramref name="output"/>. Thread-safe.</summary>
    /// <param name="input">A <c>features × batch</c> minibatch.</param>
    /// <param name="output">Destination of <c>output size × batch</c>; must not alias <paramref name="input"/> unless the layer has <see cref="LayerTraits.Elementwise"/>.</param>
    void Predict(Matrix<T> input, Matrix<T> output);
}
