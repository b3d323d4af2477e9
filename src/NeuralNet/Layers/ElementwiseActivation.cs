using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Compute;

namespace NeuralNet.Layers;

/// <summary>
/// Base for activations applied to each element independently, <c>y = f(x)</c>.
/// They have no parameters, so backward gives only <c>∂L/∂x = f′(x) ⊙ ∂L/∂y</c>.
/// </summary>
/// <typeparam name="T">Element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public abstract class ElementwiseActivation<T> : ILayer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly MatrixCache<T> outputs = new();
    private readonly MatrixCache<T> inputGradients = new();
    private Matrix<T>? lastInput;
    private Matrix<T>? lastOutput;
    private string? cachedName;

    /// <inheritdoc />
    public abstract string Name { get; }

    /// <inheritdoc />
    public Shape? InputShape => null;

    /// <inheritdoc />
    public IReadOnlyList<Parameter<T>> Parameters => [];

    /// <inheritdoc />
    public virtual LayerTraits Traits => LayerTraits.Elementwise;

    /// <summary>Any shape: the output has the input's shape.</summary>
    /// <inheritdoc />
    public Shape GetOutputShape(Shape inputShape) => inputShape ?? throw new ArgumentNullException(nameof(inputShape));

    /// <inheritdoc />
    public abstract LayerConfig GetConfig();

    /// <inheritdoc />
    public abstract OnnxForm ToOnnx();

    /// <inheritdoc />
    public Matrix<T> Forward(Matrix<T> input)
    {
        LayerErrors.CheckInput(LayerName, null, input);
        T[] x = DenseStorage.Of(input, nameof(input));
        Matrix<T> output = outputs.Get(input.RowCount, input.ColumnCount);
        Activate(x, DenseStorage.Of(output, nameof(output)));
        lastInput = input;
        lastOutput = output;
        return output;
    }

    /// <inheritdoc />
    public Matrix<T> Backward(Matrix<T> outputGradient)
    {
        if (lastInput is null || lastOutput is null)
        {
            throw LayerErrors.BackwardBeforeForward(LayerName);
        }

        LayerErrors.CheckSameShape(LayerName, "the output gradient", lastOutput.RowCount, lastOutput.ColumnCount, outputGradient, nameof(outputGradient));
        Matrix<T> inputGradient = inputGradients.Get(lastInput.RowCount, lastInput.ColumnCount);
        Differentiate(
            DenseStorage.Of(lastInput, "input"),
            DenseStorage.Of(lastOutput, "output"),
            DenseStorage.Of(outputGradient, nameof(outputGradient)),
            DenseStorage.Of(inputGradient, nameof(inputGradient)));
        return inputGradient;
    }

    /// <inheritdoc />
    public void Predict(Matrix<T> input, Matrix<T> output)
    {
        LayerErrors.CheckInput(LayerName, null, input);
        LayerErrors.CheckSameShape(LayerName, "the output", input.RowCount, input.ColumnCount, output, nameof(output));
        Activate(DenseStorage.Of(input, nameof(input)), DenseStorage.Of(output, nameof(output)));
    }

    /// <inheritdoc />
    public override string ToString() => Name;

    /// <summary>The name for shape checks, formatted once: some names are built from settings and would allocate per step.</summary>
    private string LayerName => cachedName ??= Name;

    /// <summary>Computes <c>y = f(x)</c> element by element; <paramref name="y"/> may alias <paramref name="x"/>.</summary>
    protected abstract void Activate(ReadOnlySpan<T> x, Span<T> y);

    /// <summary>Computes <c>dx = f′(x) ⊙ dy</c>, given the cached input <paramref name="x"/> and output <paramref name="y"/>.</summary>
    protected abstract void Differentiate(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx);
}
