using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Compute;
using NeuralNet.Initializers;

namespace NeuralNet.Layers;

/// <summary>
/// Learned absolute positions (GPT style): adds the row <c>W[t]</c> of a <c>contextLength × dimension</c> weight to
/// step <c>t</c> of each <c>(steps, dimension)</c> sample, <c>y[t] = x[t] + W[t]</c>, for <c>steps ≤ contextLength</c>.
/// In PyTorch this is <c>x + wpe(arange(steps))</c> with <c>wpe = nn.Embedding(context_length, dimension)</c>.
/// </summary>
/// <remarks>
/// <para>
/// The parameter <c>weight</c> holds PyTorch's <c>[contextLength, dimension]</c> tensor in its memory order (row-major),
/// so an <c>nn.Embedding</c>'s <c>weight</c> copies in as it is; as a matrix it is <c>dimension × contextLength</c>, one
/// column per position (<see cref="Weights"/>). It starts as draws from <c>N(0, 1)</c>, as <c>nn.Embedding</c>'s do; GPT
/// recipes redraw it from <c>N(0, 0.02²)</c> (write into <see cref="Weights"/>).
/// </para>
/// <para>
/// Backward: <c>∂L/∂x = ∂L/∂y</c>; <c>∂L/∂W[t] = Σ ∂L/∂y[t]</c> over the samples for the steps present, 0 for the
/// positions beyond them.
/// </para>
/// <para>ONNX: <c>Shape</c> (the steps), <c>Slice</c> of the weight's first rows, <c>Add</c> (opset 15; export only).</para>
/// </remarks>
/// <typeparam name="T">Element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
[LayerKind("positional_embedding")]
public sealed class PositionalEmbedding<T> : ILayer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Parameter<T> weight;
    private readonly MatrixCache<T> outputs = new();
    private int lastRows = -1;

    /// <summary>Creates the layer with positions drawn from <c>N(0, 1)</c>.</summary>
    /// <param name="contextLength">The most steps a sample may have (GPT's <c>block_size</c>), ≥ 1.</param>
    /// <param name="dimension">The features of each step, ≥ 1.</param>
    /// <param name="random">The source of the initial weights (inject a seeded one for reproducible runs).</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is below 1 or too large.</exception>
    public PositionalEmbedding(int contextLength, int dimension, Random random)
        : this(contextLength, dimension)
    {
        ArgumentNullException.ThrowIfNull(random);
        RandomDraws.Normal(weight.ValueSpan, 1.0, random);
    }

    private PositionalEmbedding(int contextLength, int dimension)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(contextLength);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimension);
        if ((long)contextLength * dimension > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(
                nameof(contextLength), contextLength, $"PositionalEmbedding: {contextLength:N0} positions × {dimension:N0} dimensions are more weights than an array holds ({Array.MaxLength:N0}).");
        }

        ContextLength = contextLength;
        Dimension = dimension;
        Name = string.Create(CultureInfo.InvariantCulture, $"PositionalEmbedding({contextLength}, {dimension})");
        weight = new Parameter<T>("weight", dimension, contextLength);
        Parameters = [weight];
    }

    /// <summary>The most steps a sample may have.</summary>
    public int ContextLength { get; }

    /// <summary>The features of each step.</summary>
    public int Dimension { get; }

    /// <summary>
    /// The positions as a <c>dimension × contextLength</c> matrix: column <c>t</c> is added to step <c>t</c> (its memory is
    /// PyTorch's row-major <c>[contextLength, dimension]</c> weight). A live view, so writes change the layer.
    /// </summary>
    public Matrix<T> Weights => weight.Value;

    /// <inheritdoc />
    public string Name { get; }

    /// <summary><c>(steps, dimension)</c> for any <c>steps ≤ contextLength</c>.</summary>
    /// <inheritdoc />
    public Shape? InputShape => null;

    /// <inheritdoc />
    public IReadOnlyList<Parameter<T>> Parameters { get; }

    /// <summary>The input shape itself: <c>(steps, dimension)</c> with <c>steps ≤ contextLength</c>.</summary>
    /// <inheritdoc />
    public Shape GetOutputShape(Shape inputShape)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        if (inputShape.Rank != 2 || inputShape[1] != Dimension || inputShape[0] > ContextLength)
        {
            throw LayerErrors.WrongShape(Name, $"shape (steps, {Dimension}) with at most {ContextLength} steps", inputShape);
        }

        return inputShape;
    }

    /// <inheritdoc />
    public LayerConfig GetConfig() =>
        new LayerConfig("positional_embedding").With("context_length", (long)ContextLength).With("dimension", (long)Dimension);

    /// <summary>
    /// ONNX <c>Shape(input, start = 1, end = 2)</c> gives the steps, <c>Slice(weight, 0, steps, axis 0)</c> the first
    /// rows, and <c>Add</c> broadcasts them over the batch (opset 15, for Shape's start and end).
    /// </summary>
    /// <inheritdoc />
    public OnnxForm ToOnnx() => OnnxForm.Graph(minimumOpset: 15)
        .WithInitializer("weight", [ContextLength, Dimension], LayerValues.ToDoubles<T>(weight.ValueSpan))
        .WithIntegerInitializer("starts", [1], [0])
        .WithIntegerInitializer("axes", [1], [0])
        .WithNode("Shape", "steps", OnnxForm.LayerInput).WithAttribute("start", 1L).WithAttribute("end", 2L)
        .WithNode("Slice", "positions", "weight", "starts", "steps", "axes")
        .WithNode("Add", "sum", OnnxForm.LayerInput, "positions");

    /// <summary>Training pass: <c>y[t] = x[t] + W[t]</c>.</summary>
    /// <inheritdoc />
    public Matrix<T> Forward(Matrix<T> input)
    {
        CheckRows(input);
        Matrix<T> output = outputs.Get(input.RowCount, input.ColumnCount);
        Add(input, output);
        lastRows = input.RowCount;
        return output;
    }

    /// <summary>Stores <c>∂L/∂W</c> (summed over the samples) and returns <c>∂L/∂x = ∂L/∂y</c> itself.</summary>
    /// <inheritdoc />
    public Matrix<T> Backward(Matrix<T> outputGradient)
    {
        if (lastRows < 0)
        {
            throw LayerErrors.BackwardBeforeForward(Name);
        }

        ArgumentNullException.ThrowIfNull(outputGradient);
        LayerErrors.CheckSameShape(Name, "the output gradient", lastRows, outputGradient.ColumnCount, outputGradient, nameof(outputGradient));
        T[] g = DenseStorage.Of(outputGradient, nameof(outputGradient));
        Span<T> gradient = weight.GradientSpan;
        gradient.Clear();
        Span<T> used = gradient[..lastRows];
        for (int j = 0; j < outputGradient.ColumnCount; j++)
        {
            TensorPrimitives.Add(used, g.AsSpan(j * lastRows, lastRows), used);
        }

        return outputGradient;
    }

    /// <summary>Inference: <c>y[t] = x[t] + W[t]</c>. Thread-safe; changes nothing.</summary>
    /// <inheritdoc />
    public void Predict(Matrix<T> input, Matrix<T> output)
    {
        CheckRows(input);
        LayerErrors.CheckSameShape(Name, "the output", input.RowCount, input.ColumnCount, output, nameof(output));
        Add(input, output);
    }

    /// <inheritdoc />
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"PositionalEmbedding({ContextLength}, {Dimension}, {(long)ContextLength * Dimension:N0} parameters)");

    /// <summary>Builds the layer from its configuration (<c>context_length</c>, <c>dimension</c>); the weights are filled in by the loader.</summary>
    /// <param name="config">The configuration.</param>
    internal static PositionalEmbedding<T> FromConfig(LayerConfig config) =>
        new(config.GetInt32("context_length"), config.GetInt32("dimension"));

    private void CheckRows(Matrix<T> input)
    {
        LayerErrors.CheckInput(Name, null, input);
        if (input.RowCount % Dimension != 0 || input.RowCount / Dimension > ContextLength)
        {
            throw new ArgumentException(
                $"{Name}: expected samples of (steps, {Dimension}) with at most {ContextLength} steps, i.e. a multiple of {Dimension} rows up to {(long)ContextLength * Dimension} × batch, got {LayerErrors.Shape(input)}.",
                nameof(input));
        }
    }

    /// <summary><c>y = x + W[..steps]</c> per sample: the weight's first rows are one contiguous block, the sample's layout.</summary>
    private void Add(Matrix<T> input, Matrix<T> output)
    {
        T[] x = DenseStorage.Of(input, nameof(input));
        T[] y = DenseStorage.Of(output, nameof(output));
        int rows = input.RowCount;
        ReadOnlySpan<T> positions = weight.ValueSpan[..rows];
        for (int j = 0; j < input.ColumnCount; j++)
        {
            TensorPrimitives.Add(x.AsSpan(j * rows, rows), positions, y.AsSpan(j * rows, rows));
        }
    }
}
