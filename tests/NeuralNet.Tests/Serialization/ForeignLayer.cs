using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Layers;

namespace NeuralNet.Tests.Serialization;

/// <summary>
/// A user's own pass-through layer, whose kind nobody registered and which declares no ONNX form;
/// the tests check that saving, checkpointing and exporting refuse it by name.
/// </summary>
internal sealed class ForeignLayer<T>(string name) : ILayer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Identity<T> inner = new();

    public string Name => name;

    public Shape? InputShape => null;

    public IReadOnlyList<Parameter<T>> Parameters => [];

    public Shape GetOutputShape(Shape inputShape) => inputShape;

    /// <summary>A kind nobody registered: saving must refuse it by name.</summary>
    public LayerConfig GetConfig() => new("foreign");

    public Matrix<T> Forward(Matrix<T> input) => inner.Forward(input);

    public Matrix<T> Backward(Matrix<T> outputGradient) => inner.Backward(outputGradient);

    public void Predict(Matrix<T> input, Matrix<T> output) => inner.Predict(input, output);
}
