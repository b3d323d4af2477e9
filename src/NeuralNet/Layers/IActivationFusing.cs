using System.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace NeuralNet.Layers;

/// <summary>
/// A layer that can apply a following element-wise activation while it writes its output (the matrix product's
/// store, while the values are in registers), giving bit for bit what the two layers give one after the other.
/// </summary>
/// <typeparam name="T">Element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
internal interface IActivationFusing<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Whether <see cref="Predict"/> can apply <paramref name="activation"/>.</summary>
    bool CanFuse(FusedActivation activation);

    /// <summary>Stateless, thread-safe inference followed by <paramref name="activation"/>: <c>output ← act(f(input))</c>.</summary>
    /// <param name="input">A <c>features × batch</c> minibatch.</param>
    /// <param name="output">Destination of <c>output size × batch</c>; must not alias <paramref name="input"/>.</param>
    /// <param name="activation">One for which <see cref="CanFuse"/> holds.</param>
    void Predict(Matrix<T> input, Matrix<T> output, FusedActivation activation);
}
