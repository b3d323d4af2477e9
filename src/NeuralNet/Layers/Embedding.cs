using System.Globalization;
using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Compute;
using NeuralNet.Initializers;

namespace NeuralNet.Layers;

/// <summary>
/// A lookup table of learned vectors (PyTorch's <c>nn.Embedding</c>): each token id <c>i</c> of a sample becomes the
/// row <c>W[i]</c> of the <c>vocabulary × dimension</c> weight, so ids of shape <c>(steps)</c> give
/// <c>(steps, dimension)</c>, step by step.
/// </summary>
/// <remarks>
/// <para>
/// <b>Input.</b> Ids are stored as the element type in the input column (one id per step). Each must be an integer in
/// <c>[0, vocabulary)</c>; anything else (a fraction, a negative number, too large, NaN, ∞) is an
/// <see cref="ArgumentException"/> naming the sample, the step and the value. A float holds every integer up to
/// 2²⁴ = 16,777,216 exactly; a larger vocabulary needs a double network.
/// </para>
/// <para>
/// <b>Weight.</b> The parameter <c>weight</c> holds PyTorch's <c>[vocabulary, dimension]</c> tensor in its memory order
/// (row-major), so a PyTorch state dict's <c>weight</c> copies in as it is; as a matrix it is
/// <c>dimension × vocabulary</c>, one column per id (<see cref="Weights"/>). It starts as draws from <c>N(0, 1)</c>, as
/// PyTorch's; the padding row, if any, starts at zero.
/// </para>
/// <para>
/// <b>Backward.</b> <c>∂L/∂W[i] = Σ ∂L/∂y</c> over every step (of every sample) holding id <c>i</c>: repeated ids
/// accumulate, and the padding id never receives a gradient (its row stays as it is, a fixed "pad"). Ids are not
/// differentiable: the input gradient is zero (<see cref="LayerTraits.IndexInput"/>), so the layer belongs first in a
/// network.
/// </para>
/// <para>ONNX: <c>Cast</c> of the ids to int64, then <c>Gather(weight, ids)</c> (export only).</para>
/// </remarks>
/// <example>
/// <code>
/// var embedding = new Embedding&lt;float&gt;(vocabulary: 65, dimension: 32, new Random(1));
/// var network = new Network&lt;float&gt;(Shape.Vector(8), embedding, new Flatten&lt;float&gt;(), new Linear&lt;float&gt;(8 * 32, 65, new Random(2)));
/// </code>
/// </example>
/// <typeparam name="T">Element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
[LayerKind("embedding")]
public sealed class Embedding<T> : ILayer<T>, IParameterGradients<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Parameter<T> weight;
    private readonly MatrixCache<T> outputs = new();
    private readonly MatrixCache<T> inputGradients = new();
    private int[] lastIds = [];
    private int lastRows = -1;

    /// <summary>Creates the table with weights drawn from <c>N(0, 1)</c> and a zero padding row.</summary>
    /// <param name="vocabulary">The number of ids (PyTorch's <c>num_embeddings</c>), ≥ 1.</param>
    /// <param name="dimension">The length of each vector (<c>embedding_dim</c>), ≥ 1.</param>
    /// <param name="random">The source of the initial weights (inject a seeded one for reproducible runs).</param>
    /// <param name="paddingIndex">An id in <c>[0, vocabulary)</c> whose vector starts at zero and is never trained, or <see langword="null"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is below 1 or too large, or the padding index is outside <c>[0, vocabulary)</c>.</exception>
    public Embedding(int vocabulary, int dimension, Random random, int? paddingIndex = null)
        : this(vocabulary, dimension, paddingIndex)
    {
        ArgumentNullException.ThrowIfNull(random);
        RandomDraws.Normal(weight.ValueSpan, 1.0, random);
        if (PaddingIndex is int padding)
        {
            weight.ValueSpan.Slice(padding * Dimension, Dimension).Clear();
        }
    }

    private Embedding(int vocabulary, int dimension, int? paddingIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(vocabulary);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimension);
        if ((long)vocabulary * dimension > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(
                nameof(vocabulary), vocabulary, $"Embedding: {vocabulary:N0} ids × {dimension:N0} dimensions are more weights than an array holds ({Array.MaxLength:N0}).");
        }

        if (paddingIndex is int p && (p < 0 || p >= vocabulary))
        {
            throw new ArgumentOutOfRangeException(
                nameof(paddingIndex), paddingIndex, $"Embedding({vocabulary}, {dimension}): the padding index must be an id in [0, {vocabulary}), got {p}.");
        }

        Vocabulary = vocabulary;
        Dimension = dimension;
        PaddingIndex = paddingIndex;
        Name = string.Create(CultureInfo.InvariantCulture, $"Embedding({vocabulary}, {dimension})");
        weight = new Parameter<T>("weight", dimension, vocabulary);
        Parameters = [weight];
    }

    /// <summary>The number of ids.</summary>
    public int Vocabulary { get; }

    /// <summary>The length of each vector.</summary>
    public int Dimension { get; }

    /// <summary>The id whose vector is never trained, or <see langword="null"/>.</summary>
    public int? PaddingIndex { get; }

    /// <summary>
    /// The vectors as a <c>dimension × vocabulary</c> matrix: column <c>i</c> is the vector of id <c>i</c> (its memory is
    /// PyTorch's row-major <c>[vocabulary, dimension]</c> weight). A live view, so writes change the layer.
    /// </summary>
    public Matrix<T> Weights => weight.Value;

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>A sequence of ids, <c>(steps)</c>, of any length.</summary>
    /// <inheritdoc />
    public Shape? InputShape => null;

    /// <inheritdoc />
    public IReadOnlyList<Parameter<T>> Parameters { get; }

    /// <summary>The input holds ids: no input gradient.</summary>
    /// <inheritdoc />
    public LayerTraits Traits => LayerTraits.IndexInput;

    /// <summary>Ids of shape <c>(steps)</c> give vectors of shape <c>(steps, dimension)</c>.</summary>
    /// <inheritdoc />
    public Shape GetOutputShape(Shape inputShape)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        if (inputShape.Rank != 1 || (long)inputShape.Size * Dimension > Array.MaxLength)
        {
            throw LayerErrors.WrongShape(Name, $"shape (steps): a sequence of at most {Array.MaxLength / Dimension:N0} ids", inputShape);
        }

        return Shape.Of(inputShape[0], Dimension);
    }

    /// <summary>The kind <c>embedding</c> with <c>vocabulary</c>, <c>dimension</c> and <c>padding_index</c> (−1 when there is none).</summary>
    /// <inheritdoc />
    public LayerConfig GetConfig() => new LayerConfig("embedding")
        .With("vocabulary", (long)Vocabulary).With("dimension", (long)Dimension).With("padding_index", (long)(PaddingIndex ?? -1));

    /// <summary>
    /// ONNX <c>Cast(to = int64)</c> of the ids, then <c>Gather(weight, ids, axis = 0)</c>: <c>[batch, steps]</c> ids give
    /// <c>[batch, steps, dimension]</c>. An id outside the table is an error in ONNX Runtime too.
    /// </summary>
    /// <inheritdoc />
    public OnnxForm ToOnnx() => OnnxForm.Graph()
        .WithInitializer("weight", [Vocabulary, Dimension], LayerValues.ToDoubles<T>(weight.ValueSpan))
        .WithNode("Cast", "ids", OnnxForm.LayerInput).WithAttribute("to", 7L)
        .WithNode("Gather", "vectors", "weight", "ids").WithAttribute("axis", 0L);

    /// <summary>Training pass: checks the ids, remembers them for <see cref="Backward"/>, and looks the vectors up.</summary>
    /// <inheritdoc />
    /// <exception cref="ArgumentException">An id is not an integer in <c>[0, vocabulary)</c>.</exception>
    public Matrix<T> Forward(Matrix<T> input)
    {
        LayerErrors.CheckInput(Name, null, input);
        T[] x = DenseStorage.Of(input, nameof(input));
        if (lastIds.Length != x.Length)
        {
            lastIds = new int[x.Length];
        }

        ReadIds(x, input.RowCount, lastIds);
        Matrix<T> output = outputs.Get(checked(input.RowCount * Dimension), input.ColumnCount);
        Gather(lastIds, DenseStorage.Of(output, nameof(output)));
        lastRows = input.RowCount;
        return output;
    }

    /// <summary>Stores <c>∂L/∂W</c> (scatter-add over the ids, padding skipped) and returns a zero input gradient: ids are not differentiable.</summary>
    /// <inheritdoc />
    public Matrix<T> Backward(Matrix<T> outputGradient)
    {
        BackwardParameters(outputGradient);
        Matrix<T> inputGradient = inputGradients.Get(lastRows, outputGradient.ColumnCount);
        inputGradient.Clear();
        return inputGradient;
    }

    /// <summary>Stores <c>∂L/∂W</c> without the (zero) input gradient: the first layer of a network in training.</summary>
    void IParameterGradients<T>.BackwardParameters(Matrix<T> outputGradient) => BackwardParameters(outputGradient);

    private void BackwardParameters(Matrix<T> outputGradient)
    {
        if (lastRows < 0)
        {
            throw LayerErrors.BackwardBeforeForward(Name);
        }

        int batch = lastIds.Length / lastRows;
        LayerErrors.CheckSameShape(Name, "the output gradient", lastRows * Dimension, batch, outputGradient, nameof(outputGradient));
        T[] g = DenseStorage.Of(outputGradient, nameof(outputGradient));
        Span<T> gradient = weight.GradientSpan;
        gradient.Clear();
        for (int k = 0; k < lastIds.Length; k++)
        {
            int id = lastIds[k];
            if (id != PaddingIndex)
            {
                Span<T> row = gradient.Slice(id * Dimension, Dimension);
                System.Numerics.Tensors.TensorPrimitives.Add(row, g.AsSpan(k * Dimension, Dimension), row);
            }
        }
    }

    /// <summary>Inference: looks the vectors up. Thread-safe; changes nothing.</summary>
    /// <inheritdoc />
    /// <exception cref="ArgumentException">An id is not an integer in <c>[0, vocabulary)</c>.</exception>
    public void Predict(Matrix<T> input, Matrix<T> output)
    {
        LayerErrors.CheckInput(Name, null, input);
        LayerErrors.CheckSameShape(Name, "the output", checked(input.RowCount * Dimension), input.ColumnCount, output, nameof(output));
        if (ReferenceEquals(input, output))
        {
            throw new ArgumentException($"{Name}: the output must not be the input matrix.", nameof(output));
        }

        T[] x = DenseStorage.Of(input, nameof(input));
        int[] ids = System.Buffers.ArrayPool<int>.Shared.Rent(x.Length);
        try
        {
            ReadIds(x, input.RowCount, ids);
            Gather(ids.AsSpan(0, x.Length), DenseStorage.Of(output, nameof(output)));
        }
        finally
        {
            System.Buffers.ArrayPool<int>.Shared.Return(ids);
        }
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"Embedding({Vocabulary}, {Dimension}{(PaddingIndex is int p ? $", padding {p}" : string.Empty)}, {(long)Vocabulary * Dimension:N0} parameters)");

    /// <summary>Builds the layer from its configuration (<c>vocabulary</c>, <c>dimension</c>, <c>padding_index</c> with −1 for none); the weights are filled in by the loader.</summary>
    /// <param name="config">The configuration.</param>
    internal static Embedding<T> FromConfig(LayerConfig config)
    {
        int padding = config.GetInt32("padding_index");
        return new(config.GetInt32("vocabulary"), config.GetInt32("dimension"), padding == -1 ? null : padding);
    }

    /// <summary>The ids of a <c>rows × batch</c> input as integers, refusing any that is not an id of the table.</summary>
    private void ReadIds(T[] x, int rows, Span<int> ids)
    {
        T vocabulary = T.CreateChecked(Vocabulary);
        for (int k = 0; k < x.Length; k++)
        {
            T value = x[k];
            if (!T.IsInteger(value) || value < T.Zero || value >= vocabulary)
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"{Name}: sample {k / rows}, step {k % rows} holds the id {value}; ids must be integers in [0, {Vocabulary})."),
                    "input");
            }

            ids[k] = int.CreateTruncating(value);
        }
    }

    private void Gather(ReadOnlySpan<int> ids, Span<T> output)
    {
        ReadOnlySpan<T> table = weight.ValueSpan;
        for (int k = 0; k < ids.Length; k++)
        {
            table.Slice(ids[k] * Dimension, Dimension).CopyTo(output.Slice(k * Dimension, Dimension));
        }
    }
}
