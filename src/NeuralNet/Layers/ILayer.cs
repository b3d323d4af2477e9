using System.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace NeuralNet.Layers;

/// <summary>
/// A vector function in a network: <c>y = f(x; θ)</c>, applied to a minibatch.
/// </summary>
/// <remarks>
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

    /// <summary>The number of input features the layer requires, or <see langword="null"/> if it accepts any.</summary>
    int? InputSize { get; }

    /// <summary>The trainable parameters as (value, gradient) pairs; empty for activations.</summary>
    IReadOnlyList<Parameter<T>> Parameters { get; }

    /// <summary>Returns the number of output features for <paramref name="inputSize"/> input features.</summary>
    /// <exception cref="ArgumentException">The layer cannot take <paramref name="inputSize"/> features.</exception>
    int GetOutputSize(int inputSize);

    /// <summary>Training forward pass on a <c>features × batch</c> minibatch; caches what <see cref="Backward"/> needs.</summary>
    /// <returns>The output, owned by the layer and valid until its next <see cref="Forward"/>.</returns>
    Matrix<T> Forward(Matrix<T> input);

    /// <summary>Backward pass: stores parameter gradients and returns <c>∂L/∂x</c>.</summary>
    /// <param name="outputGradient"><c>∂L/∂y</c>, the same shape as the last <see cref="Forward"/> output.</param>
    /// <returns><c>∂L/∂x</c>, owned by the layer and valid until its next <see cref="Backward"/>.</returns>
    Matrix<T> Backward(Matrix<T> outputGradient);

    /// <summary>Stateless inference: writes <c>f(input)</c> into <paramref name="output"/>. Thread-safe.</summary>
    /// <param name="input">A <c>features × batch</c> minibatch.</param>
    /// <param name="output">Destination of shape <c>GetOutputSize(input.RowCount) × batch</c>; must not alias <paramref name="input"/> unless the layer is element-wise.</param>
    void Predict(Matrix<T> input, Matrix<T> output);
}
