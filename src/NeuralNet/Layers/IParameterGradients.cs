using System.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace NeuralNet.Layers;

/// <summary>
/// A layer that can run backward for its parameter gradients alone, without <c>∂L/∂x</c>: what the first layer of a
/// network needs during training.
/// </summary>
/// <typeparam name="T">Element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
internal interface IParameterGradients<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>As <see cref="ILayer{T}.Backward"/>, storing the parameter gradients but not computing <c>∂L/∂x</c>.</summary>
    void BackwardParameters(Matrix<T> outputGradient);
}
