using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Compute;

namespace NeuralNet.Layers;

/// <summary>
/// Softmax over each sample (column): <c>sᵢ = exp(zᵢ − m) / Σⱼ exp(zⱼ − m)</c> with <c>m = max z</c>.
/// </summary>
/// <remarks>
/// <para>
/// Backward is the exact Jacobian-vector product <c>dz = s ⊙ (g − ⟨g, s⟩)</c>, so the layer works with any
/// loss and anywhere in a network. In float both directions are computed in double and rounded once, and backward
/// never forms <c>1 − sₖ</c> for the largest probability (see <c>SoftmaxMath.SoftmaxBackwardInDouble</c>), so a confident
/// sample keeps the relative accuracy of its small gradients.
/// </para>
/// <para>
/// For classification do <b>not</b> put this layer in front of <see cref="Losses.CrossEntropyLoss{T}"/>: that loss
/// takes logits and applies a fused, more accurate log-softmax itself (the trainer refuses the combination).
/// Use <see cref="Network{T}.PredictProbabilities"/> to get probabilities from a logits network.
/// </para>
/// </remarks>
/// <typeparam name="T">Element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
[LayerKind("softmax")]
public sealed class Softmax<T> : ILayer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly MatrixCache<T> outputs = new();
    private readonly MatrixCache<T> inputGradients = new();
    private Matrix<T>? lastOutput;

    /// <inheritdoc />
    public string Name => "Softmax";

    /// <inheritdoc />
    public Shape? InputShape => null;

    /// <inheritdoc />
    public IReadOnlyList<Parameter<T>> Parameters => [];

    /// <inheritdoc />
    public LayerTraits Traits => LayerTraits.OutputsProbabilities;

    /// <summary>Any feature vector <c>(n)</c>; the output has the same shape. Flatten other shapes first.</summary>
    /// <inheritdoc />
    public Shape GetOutputShape(Shape inputShape)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        return inputShape.Rank == 1 ? inputShape : throw LayerErrors.WrongShape(Name, "a feature vector (n); put a Flatten layer in front", inputShape);
    }

    /// <inheritdoc />
    public LayerConfig GetConfig() => new("softmax");

    /// <summary>ONNX <c>Softmax(axis = −1)</c>: our softmax normalises each sample, the last axis of <c>[batch, features]</c>.</summary>
    /// <inheritdoc />
    public OnnxForm ToOnnx() => OnnxForm.Operator("Softmax").WithAttribute("axis", -1L);

    /// <summary>Builds the layer from its configuration (no settings).</summary>
    /// <param name="config">The configuration.</param>
    internal static Softmax<T> FromConfig(LayerConfig config) => new();

    /// <summary>Imports ONNX <c>Softmax</c> over the feature axis (−1 or 1 of a <c>[batch, features]</c> tensor).</summary>
    [OnnxImport("Softmax")]
    internal static Softmax<T> FromOnnx(OnnxNode node) =>
        node.GetInt("axis", -1) is -1 or 1 ? new() : throw node.Error("only Softmax over the last axis is supported");

    /// <inheritdoc />
    public Matrix<T> Forward(Matrix<T> input)
    {
        LayerErrors.CheckInput(Name, null, input);
        Matrix<T> output = outputs.Get(input.RowCount, input.ColumnCount);
        Apply(input, output);
        lastOutput = output;
        return output;
    }

    /// <inheritdoc />
    public Matrix<T> Backward(Matrix<T> outputGradient)
    {
        Matrix<T> s = lastOutput ?? throw LayerErrors.BackwardBeforeForward(Name);
        LayerErrors.CheckSameShape(Name, "the output gradient", s.RowCount, s.ColumnCount, outputGradient, nameof(outputGradient));
        Matrix<T> inputGradient = inputGradients.Get(s.RowCount, s.ColumnCount);
        T[] sValues = DenseStorage.Of(s, "output");
        T[] g = DenseStorage.Of(outputGradient, nameof(outputGradient));
        T[] dz = DenseStorage.Of(inputGradient, nameof(inputGradient));
        int rows = s.RowCount;
        if (typeof(T) == typeof(float))
        {
            for (int j = 0; j < s.ColumnCount; j++)
            {
                SoftmaxMath.SoftmaxBackwardInDouble(
                    ((float[])(object)sValues).AsSpan(j * rows, rows), ((float[])(object)g).AsSpan(j * rows, rows), ((float[])(object)dz).AsSpan(j * rows, rows));
            }

            return inputGradient;
        }

        for (int j = 0; j < s.ColumnCount; j++)
        {
            SoftmaxMath.SoftmaxBackward<T>(
                sValues.AsSpan(j * rows, rows), g.AsSpan(j * rows, rows), dz.AsSpan(j * rows, rows));
        }

        return inputGradient;
    }

    /// <inheritdoc />
    public void Predict(Matrix<T> input, Matrix<T> output)
    {
        LayerErrors.CheckInput(Name, null, input);
        LayerErrors.CheckSameShape(Name, "the output", input.RowCount, input.ColumnCount, output, nameof(output));
        Apply(input, output);
    }

    /// <inheritdoc />
    public override string ToString() => Name;

    private static void Apply(Matrix<T> input, Matrix<T> output)
    {
        T[] z = DenseStorage.Of(input, nameof(input));
        T[] s = DenseStorage.Of(output, nameof(output));
        int rows = input.RowCount;
        if (typeof(T) == typeof(float))
        {
            for (int j = 0; j < input.ColumnCount; j++)
            {
                SoftmaxMath.NormalizeInDouble(((float[])(object)z).AsSpan(j * rows, rows), ((float[])(object)s).AsSpan(j * rows, rows));
            }

            return;
        }

        for (int j = 0; j < input.ColumnCount; j++)
        {
            SoftmaxMath.Normalize<T>(z.AsSpan(j * rows, rows), s.AsSpan(j * rows, rows));
        }
    }
}
