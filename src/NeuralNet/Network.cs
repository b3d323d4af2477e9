using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;
using System.Text;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Compute;
using NeuralNet.Layers;

namespace NeuralNet;

/// <summary>
/// A network: an ordered chain of layers, each a vector function fed by the one before; the last output is the
/// prediction.
/// </summary>
/// <remarks>
/// <para>Inputs are <c>features × batch</c> matrices, one sample per column (see <see cref="ILayer{T}"/>).</para>
/// <para>
/// Training uses <see cref="Forward"/> (walks the layers in order, caching) and <see cref="Backward"/> (walks them in
/// reverse, the backpropagation of the source text). Inference uses <see cref="Predict(Matrix{T})"/>, which keeps no
/// state in the layers, so one trained network can serve many threads at once, as long as nobody trains it meanwhile.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// var random = new Random(42);
/// var network = new Network&lt;float&gt;(
///     new Linear&lt;float&gt;(64, 32, random, Initializer.HeNormal),
///     new ReLU&lt;float&gt;(),
///     new Linear&lt;float&gt;(32, 10, random));
/// int[] classes = network.PredictClass(features);
/// </code>
/// </example>
/// <typeparam name="T">Element type: <see cref="float"/> (the default choice) or <see cref="double"/>.</typeparam>
public sealed partial class Network<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly ILayer<T>[] layers;
    private readonly Parameter<T>[] parameters;

    /// <summary>The input shape of each layer, then the network's output shape; null when the input shape is unknown.</summary>
    private readonly Shape[]? shapes;

    /// <summary>Creates a network from layers, checking that each layer accepts the previous one's output.</summary>
    /// <remarks>
    /// The input shape is the first layer's <see cref="ILayer{T}.InputShape"/>; when leading layers accept any shape
    /// (activations), it is that of the first layer that fixes one. A network whose first layer accepts several shapes
    /// (a convolution) needs <see cref="Network(Shape, IEnumerable{ILayer{T}})"/>.
    /// </remarks>
    /// <param name="layers">The layers in forward order; at least one, each used once.</param>
    /// <exception cref="ArgumentException">No layers, a layer used twice, or two neighbours do not fit (the message names both and the shapes).</exception>
    public Network(params IEnumerable<ILayer<T>> layers)
        : this(null, layers)
    {
    }

    /// <summary>Creates a network for input samples of <paramref name="inputShape"/>, checking the whole chain of shapes.</summary>
    /// <param name="inputShape">The shape of one input sample, e.g. <c>Shape.Of(1, 28, 28)</c>; <see langword="null"/> to take it from the layers.</param>
    /// <param name="layers">The layers in forward order; at least one, each used once.</param>
    /// <exception cref="ArgumentException">No layers, a layer used twice, or a layer cannot take the shape the layers before it produce (the message names the layer and both shapes).</exception>
    public Network(Shape? inputShape, params IEnumerable<ILayer<T>> layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        this.layers = [.. layers];
        if (this.layers.Length == 0)
        {
            throw new ArgumentException("A network needs at least one layer.", nameof(layers));
        }

        var seen = new HashSet<ILayer<T>>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < this.layers.Length; i++)
        {
            ILayer<T> layer = this.layers[i] ?? throw new ArgumentException($"Layer {i} is null.", nameof(layers));
            if (!seen.Add(layer))
            {
                throw new ArgumentException(
                    $"Layer {i} {layer.Name} is the same object as an earlier layer; a layer caches its activations for backward, so each position needs its own instance.",
                    nameof(layers));
            }
        }

        InputShape = inputShape ?? InferInputShape(this.layers);
        shapes = InputShape is null ? null : ConnectShapes(this.layers, InputShape);
        chunkColumns = ChunkColumns(shapes);
        parameters = [.. this.layers.SelectMany(l => l.Parameters)];
    }

    /// <summary>The layers in forward order.</summary>
    public IReadOnlyList<ILayer<T>> Layers => layers;

    /// <summary>Every trainable parameter of every layer, in layer order.</summary>
    public IReadOnlyList<Parameter<T>> Parameters => parameters;

    /// <summary>Total number of trainable scalars.</summary>
    public long ParameterCount => parameters.Sum(p => (long)p.Length);

    /// <summary>The shape of one input sample, or <see langword="null"/> if no layer fixes it (a network of activations).</summary>
    public Shape? InputShape { get; }

    /// <summary>The shape of one output sample, or <see langword="null"/> when <see cref="InputShape"/> is unknown.</summary>
    public Shape? OutputShape => shapes?[^1];

    /// <summary>The number of input features (elements of <see cref="InputShape"/>), or <see langword="null"/> if no layer fixes it.</summary>
    public int? InputSize => InputShape?.Size;

    /// <summary>The number of outputs per sample, or <see langword="null"/> if no layer fixes the input shape.</summary>
    public int? OutputSize => OutputShape?.Size;

    /// <summary>The shape of the samples that layer <paramref name="index"/> produces, or <see langword="null"/> when the input shape is unknown.</summary>
    /// <param name="index">A layer index.</param>
    public Shape? GetLayerOutputShape(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, layers.Length);
        return shapes?[index + 1];
    }

    /// <summary>Training forward pass: runs every layer in order, caching what backward needs.</summary>
    /// <param name="input">A <c>features × batch</c> minibatch.</param>
    /// <returns>The output, owned by the last layer and valid until the next <see cref="Forward"/>.</returns>
    public Matrix<T> Forward(Matrix<T> input)
    {
        ArgumentNullException.ThrowIfNull(input);
        Matrix<T> activation = input;
        for (int i = 0; i < layers.Length; i++)
        {
            activation = layers[i].Forward(activation);
        }

        return activation;
    }

    /// <summary>
    /// Backward pass: walks the layers in reverse, each storing its parameter gradients and passing
    /// <c>∂L/∂x</c> back to the one before.
    /// </summary>
    /// <param name="outputGradient"><c>∂L/∂output</c> from the loss.</param>
    /// <returns><c>∂L/∂input</c>, owned by the first layer.</returns>
    public Matrix<T> Backward(Matrix<T> outputGradient)
    {
        ArgumentNullException.ThrowIfNull(outputGradient);
        Matrix<T> gradient = outputGradient;
        for (int i = layers.Length - 1; i >= 0; i--)
        {
            gradient = layers[i].Backward(gradient);
        }

        return gradient;
    }

    /// <summary>
    /// Backward pass for training: as <see cref="Backward"/>, but the first layer skips <c>∂L/∂input</c> when it can
    /// (a <see cref="Linear{T}"/> first layer saves a third of its backward arithmetic), since training never reads it.
    /// </summary>
    /// <param name="outputGradient"><c>∂L/∂output</c> from the loss.</param>
    internal void BackwardParameters(Matrix<T> outputGradient)
    {
        ArgumentNullException.ThrowIfNull(outputGradient);
        Matrix<T> gradient = outputGradient;
        for (int i = layers.Length - 1; i > 0; i--)
        {
            gradient = layers[i].Backward(gradient);
        }

        if (layers[0] is IParameterGradients<T> first)
        {
            first.BackwardParameters(gradient);
        }
        else
        {
            layers[0].Backward(gradient);
        }
    }

    /// <summary>Stateless, thread-safe inference on a <c>features × batch</c> matrix.</summary>
    /// <remarks>
    /// Intermediates live in per-thread scratch, so a call allocates only its result: a batch whose largest intermediate
    /// would not fit that scratch runs in chunks of columns (each sample is computed from its own column alone, so the
    /// result is bit for bit the same). A ReLU after a <see cref="Linear{T}"/> or <see cref="Conv2d{T}"/> is applied as
    /// that layer stores its output.
    /// </remarks>
    /// <returns>A new <c>outputs × batch</c> matrix.</returns>
    /// <exception cref="ArgumentException">The input has the wrong number of features, or holds NaN or ∞.</exception>
    public Matrix<T> Predict(Matrix<T> input)
    {
        ArgumentNullException.ThrowIfNull(input);
        CheckFinite(input, nameof(input));
        return PredictCore(input, scratchResult: false);
    }

    /// <summary>Stateless inference on one sample.</summary>
    /// <param name="input">The sample's features.</param>
    /// <returns>The network's output for it.</returns>
    public MathNet.Numerics.LinearAlgebra.Vector<T> Predict(MathNet.Numerics.LinearAlgebra.Vector<T> input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return Predict(input.ToColumnMatrix()).Column(0);
    }

    /// <summary>The most probable class (argmax of the output) of each sample (column).</summary>
    public int[] PredictClass(Matrix<T> input) => ArgMaxPerColumn(Predict(input));

    /// <summary>The most probable class (argmax of the output) of one sample.</summary>
    public int PredictClass(MathNet.Numerics.LinearAlgebra.Vector<T> input) => Predict(input).MaximumIndex();

    /// <summary>
    /// Class probabilities for each sample: the network's output if its last layer outputs probabilities (a softmax), otherwise the
    /// softmax of its output (treated as logits).
    /// </summary>
    public Matrix<T> PredictProbabilities(Matrix<T> input)
    {
        Matrix<T> output = Predict(input);
        if (EndsInProbabilities())
        {
            return output;
        }

        T[] values = DenseStorage.Of(output, nameof(output));
        int rows = output.RowCount;
        for (int j = 0; j < output.ColumnCount; j++)
        {
            Span<T> column = values.AsSpan(j * rows, rows);
            SoftmaxMath.Normalize<T>(column, column);
        }

        return output;
    }

    /// <summary>Lists the layers with their output shapes and parameter counts, and the totals (see <see cref="Summary"/>).</summary>
    public override string ToString() => Summary();

    internal static int[] ArgMaxPerColumn(Matrix<T> output)
    {
        T[] values = DenseStorage.Of(output, nameof(output));
        int rows = output.RowCount;
        var classes = new int[output.ColumnCount];
        for (int j = 0; j < classes.Length; j++)
        {
            classes[j] = TensorPrimitives.IndexOfMax<T>(values.AsSpan(j * rows, rows));
        }

        return classes;
    }

    /// <summary>
    /// Whether the output is a softmax, possibly followed by layers that are the identity at inference: what
    /// <see cref="PredictProbabilities"/> returns as is, and what the trainer refuses in front of a loss on logits.
    /// </summary>
    internal bool EndsInProbabilities()
    {
        for (int i = layers.Length - 1; i >= 0; i--)
        {
            LayerTraits traits = layers[i].Traits;
            if ((traits & LayerTraits.OutputsProbabilities) != 0)
            {
                return true;
            }

            if ((traits & LayerTraits.IdentityAtInference) == 0)
            {
                return false;
            }
        }

        return false;
    }

    private static Shape? InferInputShape(ILayer<T>[] layers)
    {
        int first = Array.FindIndex(layers, l => l.InputShape is not null);
        if (first < 0)
        {
            return null;
        }

        // Leading layers that accept any shape (activations) must hand the first fixed shape through unchanged.
        Shape shape = layers[first].InputShape!;
        Shape current = shape;
        for (int i = 0; i < first; i++)
        {
            current = layers[i].GetOutputShape(current);
        }

        return current == shape
            ? shape
            : throw new ArgumentException(
                $"Layer {first} {layers[first].Name} expects {shape}, but the layers before it change the shape; give the network its input shape.",
                nameof(layers));
    }

    private static Shape[] ConnectShapes(ILayer<T>[] layers, Shape input)
    {
        // First check the whole chain without side effects, so a network that cannot be built leaves no layer connected.
        ChainShapes(layers, input, connect: false);
        return ChainShapes(layers, input, connect: true);
    }

    private static Shape[] ChainShapes(ILayer<T>[] layers, Shape input, bool connect)
    {
        var result = new Shape[layers.Length + 1];
        result[0] = input;
        for (int i = 0; i < layers.Length; i++)
        {
            try
            {
                result[i + 1] = connect ? layers[i].Connect(result[i]) : layers[i].GetOutputShape(result[i]);
            }
            catch (ArgumentException e)
            {
                string source = i == 0 ? "the network's input samples have" : "the layers before it produce";
                throw new ArgumentException(
                    layers[i].InputShape is Shape expected && expected != result[i]
                        ? $"Layer {i} {layers[i].Name} expects input samples of shape {expected}, but {source} {result[i]}."
                        : $"Layer {i} {layers[i].Name} cannot take input samples of shape {result[i]}, which {source}: {e.Message}",
                    nameof(layers),
                    e);
            }
        }

        return result;
    }

    internal static void CheckFinite(Matrix<T> input, string parameterName)
    {
        T[] values = DenseStorage.Of(input, parameterName);

        // One vectorised pass over the values; only when it finds one that is not finite, look for it.
        if (VectorLoops.AllFinite<T>(values))
        {
            return;
        }

        int rows = input.RowCount;
        for (int i = 0; i < values.Length; i++)
        {
            if (!T.IsFinite(values[i]))
            {
                throw new ArgumentException(
                    $"The input holds {values[i]} at feature {i % rows} of sample {i / rows}; inputs must be finite.",
                    parameterName);
            }
        }
    }
}
