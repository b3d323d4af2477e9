using System.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace NeuralNet.Layers;

/// <summary>
/// Flattens each sample to a feature vector: <c>(channels, height, width)</c> becomes <c>(channels·height·width)</c>,
/// as PyTorch's <c>nn.Flatten()</c> (start dimension 1). A sample's elements already fill its column in row-major
/// order, so nothing moves: the layer only changes the shape the next layer sees.
/// </summary>
/// <remarks>
/// <see cref="Forward"/> and <see cref="Backward"/> return their argument itself (no copy); <see cref="Predict"/> copies
/// only when given a separate output. ONNX: <c>Flatten(axis = 1)</c>.
/// </remarks>
/// <typeparam name="T">Element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
[LayerKind("flatten")]
public sealed class Flatten<T> : ILayer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private int? lastRows;

    /// <inheritdoc />
    public string Name => "Flatten";

    /// <summary>Any shape.</summary>
    /// <inheritdoc />
    public Shape? InputShape => null;

    /// <inheritdoc />
    public IReadOnlyList<Parameter<T>> Parameters => [];

    /// <summary>The data pass through unchanged: only their shape changes.</summary>
    /// <inheritdoc />
    public LayerTraits Traits => LayerTraits.IdentityAtInference;

    /// <summary>Any shape gives the vector of its <see cref="Shape.Size"/> elements.</summary>
    /// <inheritdoc />
    public Shape GetOutputShape(Shape inputShape)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        return Shape.Vector(inputShape.Size);
    }

    /// <inheritdoc />
    public LayerConfig GetConfig() => new("flatten");

    /// <summary>ONNX <c>Flatten(axis = 1)</c>: <c>[batch, …]</c> to <c>[batch, features]</c>.</summary>
    /// <inheritdoc />
    public OnnxForm ToOnnx() => OnnxForm.Operator("Flatten").WithAttribute("axis", 1L);

    /// <summary>Returns the input itself: flattening moves no data.</summary>
    /// <inheritdoc />
    public Matrix<T> Forward(Matrix<T> input)
    {
        LayerErrors.CheckInput(Name, null, input);
        lastRows = input.RowCount;
        return input;
    }

    /// <summary>Returns the output gradient itself.</summary>
    /// <inheritdoc />
    public Matrix<T> Backward(Matrix<T> outputGradient)
    {
        int rows = lastRows ?? throw LayerErrors.BackwardBeforeForward(Name);
        ArgumentNullException.ThrowIfNull(outputGradient);
        LayerErrors.CheckSameShape(Name, "the output gradient", rows, outputGradient.ColumnCount, outputGradient, nameof(outputGradient));
        return outputGradient;
    }

    /// <inheritdoc />
    public void Predict(Matrix<T> input, Matrix<T> output)
    {
        LayerErrors.CheckInput(Name, null, input);
        LayerErrors.CheckSameShape(Name, "the output", input.RowCount, input.ColumnCount, output, nameof(output));
        if (!ReferenceEquals(input, output))
        {
            input.CopyTo(output);
        }
    }

    /// <inheritdoc />
    public override string ToString() => Name;

    /// <summary>Builds the layer from its configuration (no settings).</summary>
    /// <param name="config">The configuration.</param>
    internal static Flatten<T> FromConfig(LayerConfig config) => new();

    /// <summary>Imports ONNX <c>Flatten</c> with axis 1 (everything after the batch dimension).</summary>
    [OnnxImport("Flatten")]
    internal static Flatten<T> FromOnnx(OnnxNode node) =>
        node.GetInt("axis", 1) == 1 ? new() : throw node.Error("only Flatten with axis = 1 is supported");
}
