using System.Numerics;
using System.Numerics.Tensors;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Compute;

namespace NeuralNet.Layers;

/// <summary>
/// A residual block (He et al., 2016): <c>y = x + f(x)</c>, where <c>f</c> is a chain of inner layers that gives back
/// the shape it is given, e.g. the MLP half of a pre-LayerNorm Transformer block,
/// <c>Residual(LayerNorm(d), Linear(d, 4d), Gelu, Linear(4d, d))</c>.
/// </summary>
/// <remarks>
/// <para>
/// <b>Shapes.</b> Input and output samples have the same shape; the inner chain must map it to itself, checked when the
/// block is connected (the message names the block, the inner layer and both shapes).
/// </para>
/// <para>
/// <b>Gradients.</b> <c>∂L/∂x = ∂L/∂y + (∂f/∂x)ᵀ ∂L/∂y</c>; the inner layers store their parameter gradients as they
/// would in a network.
/// </para>
/// <para>
/// <b>State.</b> <see cref="Parameters"/> and <see cref="Buffers"/> are the inner layers' own tensors (shared, not
/// copied) named by position as PyTorch's <c>state_dict</c> names a submodule's: <c>"0.weight"</c>, <c>"2.bias"</c>,
/// <c>"1.0.running_mean"</c> inside a nested block. <see cref="GetConfig"/> holds the inner configurations as a
/// <see cref="LayerSettingKind.Layers"/> setting, so model files and checkpoints rebuild the block as they rebuild any
/// layer.
/// </para>
/// <para>
/// <b>Inference.</b> <see cref="Predict"/> allocates its intermediate activations per call and keeps nothing in the
/// block, so it is thread-safe as the inner layers are.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// var random = new Random(1);
/// var block = new Residual&lt;float&gt;(new LayerNorm&lt;float&gt;(64),
///     new Linear&lt;float&gt;(64, 256, random), new Gelu&lt;float&gt;(), new Linear&lt;float&gt;(256, 64, random));
/// block.Parameters[1].Name;   // "1.weight"
/// </code>
/// </example>
/// <typeparam name="T">Element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
[LayerKind("residual")]
public sealed class Residual<T> : ILayer<T>, IParameterGradients<T>, ILayerBlock<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly ILayer<T>[] layers;
    private readonly MatrixCache<T> outputs = new();
    private readonly MatrixCache<T> inputGradients = new();
    private Shape[]? shapes;
    private Matrix<T>? lastInput;

    /// <summary>Creates the block <c>y = x + f(x)</c> with <c>f</c> the chain of <paramref name="layers"/>.</summary>
    /// <param name="layers">The inner layers in forward order, as a network's: at least one, each used once.</param>
    /// <exception cref="ArgumentException">
    /// No layers, a null layer, a layer used twice, or inner layers that fix the input shape and do not give it back (the
    /// message names the inner layer and both shapes).
    /// </exception>
    public Residual(params IEnumerable<ILayer<T>> layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        this.layers = [.. layers];
        if (this.layers.Length == 0)
        {
            throw new ArgumentException("Residual: a residual block needs at least one inner layer.", nameof(layers));
        }

        var seen = new HashSet<ILayer<T>>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < this.layers.Length; i++)
        {
            ILayer<T> layer = this.layers[i] ?? throw new ArgumentException($"Residual: inner layer {i} is null.", nameof(layers));
            if (!seen.Add(layer))
            {
                throw new ArgumentException(
                    $"Residual: inner layer {i} {layer.Name} is the same object as an earlier one; a layer caches its activations for backward, so each position needs its own instance.",
                    nameof(layers));
            }
        }

        Name = $"Residual({string.Join(" → ", this.layers.Select(l => l.Name))})";
        Parameters = [.. this.layers.SelectMany((layer, i) => layer.Parameters.Select(p => new Parameter<T>($"{i}.{p.Name}", p)))];
        Buffers = [.. this.layers.SelectMany((layer, i) => layer.Buffers.Select(b => b.IsStatistics
            ? LayerBuffer<T>.Statistics($"{i}.{b.Name}", b.Values, b.Rule)
            : LayerBuffer<T>.GeneratorState($"{i}.{b.Name}", b.Words)))];
        Traits = this.layers.Any(l => (l.Traits & LayerTraits.UsesBatchStatistics) != 0) ? LayerTraits.UsesBatchStatistics : LayerTraits.None;
        InputShape = InferInputShape(this.layers);
        if (InputShape is not null)
        {
            // The inner layers fix the shape, so a chain that cannot give it back is refused now, not when connected.
            Chain(InputShape, connect: false);
        }
    }

    /// <summary>The inner layers of <c>f</c>, in forward order.</summary>
    public IReadOnlyList<ILayer<T>> Layers => layers;

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    string ILayerBlock<T>.Heading => $"Residual: x + f(x), f of {layers.Length} layer{(layers.Length == 1 ? string.Empty : "s")}";

    /// <summary>The shape the inner layers fix (that of the first one that fixes one), or <see langword="null"/>.</summary>
    /// <inheritdoc />
    public Shape? InputShape { get; }

    /// <summary>The inner layers' parameters, each named <c>"{position}.{name}"</c> and sharing the inner layer's storage.</summary>
    /// <inheritdoc />
    public IReadOnlyList<Parameter<T>> Parameters { get; }

    /// <summary>The inner layers' buffers, each named <c>"{position}.{name}"</c> and sharing the inner layer's storage.</summary>
    /// <inheritdoc />
    public IReadOnlyList<LayerBuffer<T>> Buffers { get; }

    /// <summary><see cref="LayerTraits.UsesBatchStatistics"/> when an inner layer uses batch statistics; nothing else carries over.</summary>
    /// <inheritdoc />
    public LayerTraits Traits { get; }

    /// <summary>The input shape itself, when the inner layers map it to itself.</summary>
    /// <inheritdoc />
    public Shape GetOutputShape(Shape inputShape) => Chain(inputShape, connect: false)[^1];

    /// <summary>Connects the inner layers in turn and checks that they give back <paramref name="inputShape"/>.</summary>
    /// <inheritdoc />
    public Shape Connect(Shape inputShape)
    {
        // Check the whole chain first, so a block that cannot take the shape leaves no inner layer connected.
        Chain(inputShape, connect: false);
        shapes = Chain(inputShape, connect: true);
        return inputShape;
    }

    /// <summary>The shape of the samples inner layer <paramref name="index"/> produces, or <see langword="null"/> before the block is connected.</summary>
    /// <param name="index">An inner layer's position.</param>
    public Shape? GetLayerOutputShape(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, layers.Length);
        return shapes?[index + 1];
    }

    /// <summary>Kind <c>residual</c> with the setting <c>layers</c>: the inner layers' configurations.</summary>
    /// <inheritdoc />
    public LayerConfig GetConfig() => new LayerConfig("residual").With("layers", layers.Select(l => l.GetConfig()));

    /// <summary>
    /// The inner layers' nodes (their names prefixed <c>"{position}."</c>) followed by <c>Add(input, f(input))</c>;
    /// refused, with the inner layer's reason, when an inner layer has no ONNX form.
    /// </summary>
    /// <inheritdoc />
    public OnnxForm ToOnnx()
    {
        OnnxForm[] forms = [.. layers.Select(l => l.ToOnnx())];
        int refused = Array.FindIndex(forms, f => !f.IsSupported);
        if (refused >= 0)
        {
            return OnnxForm.NotSupported($"its inner layer {refused} {layers[refused].Name} has no ONNX form: {forms[refused].NotSupportedReason}");
        }

        OnnxForm form = OnnxForm.Graph(forms.Max(f => f.MinimumOpset));
        string current = OnnxForm.LayerInput;
        for (int i = 0; i < forms.Length; i++)
        {
            current = form.Embed(forms[i], $"{i}.", current);
        }

        return form.WithNode("Add", "sum", OnnxForm.LayerInput, current);
    }

    /// <summary>Training pass: runs the inner layers' <c>Forward</c> in order and adds the input.</summary>
    /// <inheritdoc />
    public Matrix<T> Forward(Matrix<T> input)
    {
        LayerErrors.CheckInput(Name, shapes?[0].Size, input);
        Matrix<T> activation = input;
        foreach (ILayer<T> layer in layers)
        {
            activation = layer.Forward(activation);
        }

        CheckSameRows(input, activation);
        Matrix<T> output = outputs.Get(input.RowCount, input.ColumnCount);
        TensorPrimitives.Add<T>(DenseStorage.Of(input, nameof(input)), DenseStorage.Of(activation, "f(input)"), DenseStorage.Of(output, nameof(output)));
        lastInput = input;
        return output;
    }

    /// <summary>Runs the inner layers' <c>Backward</c> in reverse and adds the output gradient (the skip path).</summary>
    /// <inheritdoc />
    public Matrix<T> Backward(Matrix<T> outputGradient)
    {
        CheckBackward(outputGradient);

        // The skip path's share first: the inner layers may reuse their buffers, but never the caller's gradient.
        Matrix<T> inputGradient = inputGradients.Get(outputGradient.RowCount, outputGradient.ColumnCount);
        T[] result = DenseStorage.Of(inputGradient, nameof(inputGradient));
        DenseStorage.Of(outputGradient, nameof(outputGradient)).AsSpan().CopyTo(result);
        Matrix<T> gradient = outputGradient;
        for (int i = layers.Length - 1; i >= 0; i--)
        {
            gradient = layers[i].Backward(gradient);
        }

        TensorPrimitives.Add<T>(result, DenseStorage.Of(gradient, "inner input gradient"), result);
        return inputGradient;
    }

    /// <summary>As <see cref="Backward"/> for the parameter gradients alone, when the block is a network's first layer.</summary>
    void IParameterGradients<T>.BackwardParameters(Matrix<T> outputGradient)
    {
        CheckBackward(outputGradient);
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

    /// <summary>Stateless inference: the inner layers' <c>Predict</c> into matrices of this call, then the input added.</summary>
    /// <inheritdoc />
    public void Predict(Matrix<T> input, Matrix<T> output)
    {
        LayerErrors.CheckInput(Name, shapes?[0].Size, input);
        LayerErrors.CheckSameShape(Name, "the output", input.RowCount, input.ColumnCount, output, nameof(output));
        var outputs = new CallOutputs(output);
        Matrix<T> activation = InferencePass.Run(layers, shapes, input, ref outputs);
        CheckSameRows(input, activation);
        T[] sum = DenseStorage.Of(output, nameof(output));
        TensorPrimitives.Add<T>(DenseStorage.Of(activation, "f(input)"), DenseStorage.Of(input, nameof(input)), sum);
    }

    /// <summary>Intermediates of this call alone (Predict is thread-safe); the last into the block's output when it fits.</summary>
    private readonly struct CallOutputs(Matrix<T> blockOutput) : IInferenceOutputs<T>
    {
        public Matrix<T> Get(int step, int rows, int columns, bool last) =>
            last && rows == blockOutput.RowCount ? blockOutput : Matrix<T>.Build.Dense(rows, columns);
    }

    /// <summary>Builds the block and its inner layers from the <c>layers</c> setting.</summary>
    /// <param name="config">A configuration of kind <c>residual</c>.</param>
    public static Residual<T> FromConfig(LayerConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new(config.GetLayers("layers").Select(LayerRegistry.Create<T>).ToArray());
    }

    private static Shape? InferInputShape(ILayer<T>[] layers)
    {
        int first = Array.FindIndex(layers, l => l.InputShape is not null);
        if (first < 0)
        {
            return null;
        }

        Shape shape = layers[first].InputShape!;
        Shape current = shape;
        try
        {
            for (int i = 0; i < first; i++)
            {
                current = layers[i].GetOutputShape(current);
            }
        }
        catch (ArgumentException)
        {
            return null;
        }

        return current == shape ? shape : null;
    }

    private Shape[] Chain(Shape inputShape, bool connect)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        var result = new Shape[layers.Length + 1];
        result[0] = inputShape;
        for (int i = 0; i < layers.Length; i++)
        {
            try
            {
                result[i + 1] = connect ? layers[i].Connect(result[i]) : layers[i].GetOutputShape(result[i]);
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException(
                    $"{Name}: inner layer {i} {layers[i].Name} cannot take samples of shape {result[i]}: {e.Message}", nameof(inputShape), e);
            }
        }

        if (result[^1] != inputShape)
        {
            throw new ArgumentException(
                $"{Name}: a residual block adds f(x) to x, so its inner layers must give back the shape they take, but inner layer {layers.Length - 1} {layers[^1].Name} gives {result[^1]} for input samples of shape {inputShape}.",
                nameof(inputShape));
        }

        return result;
    }

    private void CheckSameRows(Matrix<T> input, Matrix<T> activation)
    {
        if (activation.RowCount != input.RowCount)
        {
            throw new ArgumentException(
                $"{Name}: the inner layers turn {LayerErrors.Shape(input)} into {LayerErrors.Shape(activation)}; a residual block needs f(x) of x's size.", nameof(input));
        }
    }

    private void CheckBackward(Matrix<T> outputGradient)
    {
        if (lastInput is null)
        {
            throw LayerErrors.BackwardBeforeForward(Name);
        }

        LayerErrors.CheckSameShape(Name, "the output gradient", lastInput.RowCount, lastInput.ColumnCount, outputGradient, nameof(outputGradient));
    }
}
