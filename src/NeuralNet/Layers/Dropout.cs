using System.Globalization;
using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Compute;

namespace NeuralNet.Layers;

/// <summary>
/// Inverted dropout: during training each element is zeroed with probability <c>p</c> and the kept ones are scaled by
/// <c>1/(1 − p)</c>, so <c>y = m ⊙ x</c> with <c>mᵢ ∈ {0, 1/(1 − p)}</c> and <c>E[y] = x</c>. At inference
/// (<see cref="Predict"/>) it is the identity: no scaling, no randomness.
/// </summary>
/// <remarks>
/// <para>
/// Backward applies the same mask: <c>∂L/∂x = m ⊙ ∂L/∂y</c>. Each <see cref="Forward"/> draws a fresh mask, one
/// uniform draw per element in column-major order, from the layer's own generator (xoshiro256**, seeded once at
/// construction from the seed or the injected <see cref="Random"/>); so two layers built with the same seed draw the
/// same masks, call for call, and a training run is reproducible.
/// </para>
/// <para>
/// The generator's state is saved with the layer (model files and training checkpoints), so a resumed run draws
/// exactly the masks the uninterrupted run would have drawn, whichever constructor built the layer.
/// </para>
/// <para>Shapes: input and output are <c>features × batch</c>, any number of features.</para>
/// </remarks>
/// <example>
/// <code>
/// var network = new Network&lt;float&gt;(
///     new Linear&lt;float&gt;(784, 256, random, Initializer.HeNormal), new ReLU&lt;float&gt;(),
///     new Dropout&lt;float&gt;(0.2, seed: 7),
///     new Linear&lt;float&gt;(256, 10, random));
/// </code>
/// </example>
/// <typeparam name="T">Element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
[LayerKind("dropout")]
public sealed class Dropout<T> : ILayer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Xoshiro256StarStar generator;
    private readonly MatrixCache<T> masks = new();
    private readonly MatrixCache<T> outputs = new();
    private readonly MatrixCache<T> inputGradients = new();
    private readonly T keptScale;
    private Matrix<T>? lastMask;

    /// <summary>Creates the layer with its own random source seeded by <paramref name="seed"/>.</summary>
    /// <param name="probability">Drop probability <c>p</c>, in [0, 1); 0 makes the layer the identity.</param>
    /// <param name="seed">Seed of the masks; the same seed gives the same sequence of masks.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="probability"/> is outside [0, 1) or NaN.</exception>
    public Dropout(double probability, int seed)
        : this(probability, new Random(seed))
    {
    }

    /// <summary>Creates the layer with its mask generator seeded from <paramref name="random"/>.</summary>
    /// <param name="probability">Drop probability <c>p</c>, in [0, 1); 0 makes the layer the identity.</param>
    /// <param name="random">The source of the mask generator's seed (inject a seeded one for reproducible runs): the layer draws
    /// 64 bits from it here, once, and never touches it again, so its masks can be checkpointed and resumed.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="probability"/> is outside [0, 1) or NaN.</exception>
    public Dropout(double probability, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (!(probability >= 0 && probability < 1))
        {
            throw new ArgumentOutOfRangeException(
                nameof(probability), probability, $"Dropout: the drop probability must be in [0, 1), got {probability}.");
        }

        Probability = probability;
        Name = string.Create(CultureInfo.InvariantCulture, $"Dropout(p = {probability})");
        Span<byte> seed = stackalloc byte[sizeof(ulong)];
        random.NextBytes(seed);
        generator = new Xoshiro256StarStar(System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(seed));
        keptScale = T.CreateChecked(1 / (1 - probability));
        Buffers = [LayerBuffer<T>.GeneratorState("random_state", generator.State)];
    }

    /// <summary>Drop probability <c>p</c>.</summary>
    public double Probability { get; }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public Shape? InputShape => null;

    /// <inheritdoc />
    public IReadOnlyList<Parameter<T>> Parameters => [];

    /// <summary><c>random_state</c>: the mask generator's four xoshiro256** words.</summary>
    /// <inheritdoc />
    public IReadOnlyList<LayerBuffer<T>> Buffers { get; }

    /// <inheritdoc />
    public LayerTraits Traits => LayerTraits.IdentityAtInference;

    /// <summary>Any shape: the output has the input's shape.</summary>
    /// <inheritdoc />
    public Shape GetOutputShape(Shape inputShape) => inputShape ?? throw new ArgumentNullException(nameof(inputShape));

    /// <inheritdoc />
    public LayerConfig GetConfig() => new LayerConfig("dropout").With("probability", Probability);

    /// <summary>ONNX <c>Identity</c>: an exported model only does inference, where dropout changes nothing.</summary>
    /// <inheritdoc />
    public OnnxForm ToOnnx() => OnnxForm.Operator("Identity");

    /// <summary>Builds the layer from its configuration (<c>probability</c>); the generator state is a buffer, filled in by the loader.</summary>
    /// <param name="config">The configuration.</param>
    internal static Dropout<T> FromConfig(LayerConfig config) => new(config.GetNumber("probability"), new Random(0));

    /// <summary>
    /// ONNX <c>Dropout</c> does nothing at inference: no layer. Its optional ratio input must be a constant scalar in
    /// [0, 1), as the operator requires; its training-mode input and seed attribute change nothing here.
    /// </summary>
    [OnnxImport("Dropout")]
    internal static Dropout<T>? FromOnnx(OnnxNode node)
    {
        if (node.HasInput(1))
        {
            (double[] ratio, long[] dims) = node.GetConstant(1);
            if (dims.Length != 0 || ratio.Length != 1 || !(ratio[0] >= 0 && ratio[0] < 1))
            {
                throw node.Error($"the ratio must be a scalar in [0, 1), it has shape [{string.Join(", ", dims)}]{(ratio.Length == 1 ? $" and value {ratio[0]}" : string.Empty)}");
            }
        }

        _ = node.HasInput(2) | node.HasAttribute("seed");
        return null;
    }

    /// <summary>Training pass: draws a new mask and returns <c>m ⊙ x</c>.</summary>
    /// <inheritdoc />
    public Matrix<T> Forward(Matrix<T> input)
    {
        LayerErrors.CheckInput(Name, null, input);
        T[] x = DenseStorage.Of(input, nameof(input));
        Matrix<T> mask = masks.Get(input.RowCount, input.ColumnCount);
        T[] m = DenseStorage.Of(mask, nameof(mask));
        for (int i = 0; i < m.Length; i++)
        {
            m[i] = generator.NextDouble() < Probability ? T.Zero : keptScale;
        }

        Matrix<T> output = outputs.Get(input.RowCount, input.ColumnCount);
        System.Numerics.Tensors.TensorPrimitives.Multiply(x, m, DenseStorage.Of(output, nameof(output)));
        lastMask = mask;
        return output;
    }

    /// <summary>Backward pass with the mask of the last <see cref="Forward"/>: <c>∂L/∂x = m ⊙ ∂L/∂y</c>.</summary>
    /// <inheritdoc />
    public Matrix<T> Backward(Matrix<T> outputGradient)
    {
        Matrix<T> mask = lastMask ?? throw LayerErrors.BackwardBeforeForward(Name);
        LayerErrors.CheckSameShape(Name, "the output gradient", mask.RowCount, mask.ColumnCount, outputGradient, nameof(outputGradient));
        Matrix<T> inputGradient = inputGradients.Get(mask.RowCount, mask.ColumnCount);
        System.Numerics.Tensors.TensorPrimitives.Multiply(
            DenseStorage.Of(outputGradient, nameof(outputGradient)), DenseStorage.Of(mask, nameof(mask)), DenseStorage.Of(inputGradient, nameof(inputGradient)));
        return inputGradient;
    }

    /// <summary>Inference: copies the input unchanged (inverted dropout needs no rescaling at test time).</summary>
    /// <inheritdoc />
    public void Predict(Matrix<T> input, Matrix<T> output)
    {
        LayerErrors.CheckInput(Name, null, input);
        LayerErrors.CheckSameShape(Name, "the output", input.RowCount, input.ColumnCount, output, nameof(output));
        if (!ReferenceEquals(input, output))
        {
            DenseStorage.Of(input, nameof(input)).AsSpan().CopyTo(DenseStorage.Of(output, nameof(output)));
        }
    }

    /// <inheritdoc />
    public override string ToString() => Name;
}
