using System.Numerics;
using System.Numerics.Tensors;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Compute;

namespace NeuralNet.Losses;

/// <summary>
/// Mean squared error, <c>L = (1 / (N·D)) Σ (ŷ − y)²</c> over a batch of <c>N</c> samples with <c>D</c> outputs each
/// (PyTorch's <c>nn.MSELoss</c> with mean reduction); pair it with an <see cref="Layers.Identity{T}"/> output for regression.
/// </summary>
/// <remarks>Gradient: <c>∂L/∂ŷ = 2 (ŷ − y) / (N·D)</c>.</remarks>
/// <typeparam name="T">Element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class MeanSquaredErrorLoss<T> : ILoss<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc />
    public string Name => "MeanSquaredError";

    /// <inheritdoc />
    public bool ExpectsLogits => false;

    /// <inheritdoc />
    /// <exception cref="NotSupportedException">Always: mean squared error needs target values, not class labels.</exception>
    public T Compute(Matrix<T> output, ReadOnlySpan<int> labels, Matrix<T>? outputGradient) =>
        throw new NotSupportedException($"{Name} needs target values, not class labels; build the dataset with regression targets or one-hot encode the labels.");

    /// <inheritdoc />
    public T Compute(Matrix<T> output, Matrix<T> targets, Matrix<T>? outputGradient)
    {
        LossErrors.CheckOutput(Name, output);
        ArgumentNullException.ThrowIfNull(targets);
        LossErrors.CheckSameShape(Name, output, targets, "the targets", nameof(targets));
        LossErrors.CheckSameShape(Name, output, outputGradient, "the output gradient", nameof(outputGradient));
        T[] prediction = DenseStorage.Of(output, nameof(output));
        T[] target = DenseStorage.Of(targets, nameof(targets));
        int count = prediction.Length;
        double total = 0;
        for (int i = 0; i < count; i++)
        {
            double difference = double.CreateChecked(prediction[i] - target[i]);
            total += difference * difference;
        }

        if (outputGradient is not null)
        {
            Span<T> g = DenseStorage.Of(outputGradient, nameof(outputGradient));
            TensorPrimitives.Subtract(prediction, target, g);
            TensorPrimitives.Multiply(g, T.CreateChecked(2.0 / count), g);
        }

        return T.CreateChecked(total / count);
    }

    /// <inheritdoc />
    public override string ToString() => Name;
}
