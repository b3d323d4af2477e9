using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Compute;
using NeuralNet.Initializers;

namespace NeuralNet.Layers;

/// <summary>
/// Fully connected layer, <c>Y = W·X + b</c>, with <c>W</c> of shape <c>outputs × inputs</c>, <c>b</c> of length
/// <c>outputs</c>, and <c>X</c> a <c>inputs × batch</c> minibatch (one sample per column).
/// </summary>
/// <remarks>
/// Backward, given <c>G = ∂L/∂Y</c>: <c>∂L/∂W = G·Xᵀ</c>, <c>∂L/∂b = G·1</c> (row sums) and <c>∂L/∂X = Wᵀ·G</c>.
/// </remarks>
/// <example>
/// <code>
/// var layer = new Linear&lt;float&gt;(784, 128, new Random(42), Initializer.HeNormal);
/// Console.WriteLine(layer); // Linear(784 → 128, 100,480 parameters)
/// </code>
/// </example>
/// <typeparam name="T">Element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
[LayerKind("linear")]
public sealed class Linear<T> : ILayer<T>, IParameterGradients<T>, IActivationFusing<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Parameter<T> weight;
    private readonly Parameter<T> bias;
    private readonly MatrixCache<T> outputs = new();
    private readonly MatrixCache<T> inputGradients = new();
    private Matrix<T>? lastInput;

    /// <summary>Creates a layer with random weights and zero bias.</summary>
    /// <param name="inputs">Number of input features.</param>
    /// <param name="outputs">Number of output features.</param>
    /// <param name="random">The source of the initial weights (inject a seeded one for reproducible runs).</param>
    /// <param name="initializer">Weight distribution; default <see cref="Initializer.GlorotUniform"/>. Use <see cref="Initializer.HeNormal"/> in front of ReLU-family activations.</param>
    public Linear(int inputs, int outputs, Random random, IWeightInitializer? initializer = null)
        : this(inputs, outputs)
    {
        ArgumentNullException.ThrowIfNull(random);
        WeightInitializer = initializer ?? Initializer.GlorotUniform;
        WeightInitializer.Initialize(weight.ValueSpan, inputs, outputs, random);
    }

    /// <summary>Creates a layer from given weights and bias (copied; no randomness involved).</summary>
    /// <param name="weights">The <c>outputs × inputs</c> weight matrix; finite.</param>
    /// <param name="bias">The bias, of length <c>outputs</c>; finite.</param>
    /// <exception cref="ArgumentException">The sizes disagree, or a value is NaN or ∞ (the message names its position).</exception>
    public Linear(Matrix<T> weights, MathNet.Numerics.LinearAlgebra.Vector<T> bias)
        : this(CheckedInputs(weights), CheckedOutputs(weights, bias))
    {
        weights.CopyTo(weight.Value);
        bias.CopyTo(Bias);
        for (int i = 0; i < weight.Length; i++)
        {
            if (!T.IsFinite(weight.ValueSpan[i]))
            {
                throw new ArgumentException($"Linear: weight [{i % Outputs}, {i / Outputs}] is {weight.ValueSpan[i]}; given weights must be finite.", nameof(weights));
            }
        }

        for (int o = 0; o < Outputs; o++)
        {
            if (!T.IsFinite(bias[o]))
            {
                throw new ArgumentException($"Linear: bias [{o}] is {bias[o]}; a given bias must be finite.", nameof(bias));
            }
        }
    }

    private Linear(int inputs, int outputs)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputs);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outputs);
        if ((long)inputs * outputs > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(
                nameof(inputs), inputs, $"Linear: {inputs:N0} inputs × {outputs:N0} outputs are more weights than an array holds ({Array.MaxLength:N0}).");
        }
        Inputs = inputs;
        Outputs = outputs;

        // Built once: the name goes into every shape check, and formatting it per call would allocate per step.
        Name = $"Linear({inputs} → {outputs})";
        weight = new Parameter<T>("weight", outputs, inputs);
        bias = new Parameter<T>("bias", outputs, 1);
        Bias = MathNet.Numerics.LinearAlgebra.Vector<T>.Build.Dense(bias.Value.AsColumnMajorArray());
        Parameters = [weight, bias];
    }

    /// <summary>Number of input features.</summary>
    public int Inputs { get; }

    /// <summary>Number of output features.</summary>
    public int Outputs { get; }

    /// <summary>The initializer the weights were drawn from, or <see langword="null"/> if they were given.</summary>
    public IWeightInitializer? WeightInitializer { get; }

    /// <summary>The <c>outputs × inputs</c> weights; a live view, so writes change the layer.</summary>
    public Matrix<T> Weights => weight.Value;

    /// <summary>The bias of length <c>outputs</c>; a live view, so writes change the layer.</summary>
    public MathNet.Numerics.LinearAlgebra.Vector<T> Bias { get; }

    /// <summary>Gradient of the loss with respect to <see cref="Weights"/> from the last backward pass.</summary>
    public Matrix<T> WeightsGradient => weight.Gradient;

    /// <summary>
    /// Gradient of the loss with respect to <see cref="Bias"/> from the last backward pass: the bias parameter's
    /// <c>outputs × 1</c> matrix (<c>Parameters[1].Gradient</c>, what optimizers read), a live view.
    /// </summary>
    /// <remarks>
    /// It is a matrix while <see cref="Bias"/> is a vector, because every <see cref="Parameter{T}"/> holds its value and
    /// gradient as matrices; the type stays as it is so that existing code keeps compiling. For the gradient as a vector:
    /// <c>BiasGradient.Column(0)</c> copies it; <c>Vector&lt;T&gt;.Build.Dense(BiasGradient.AsColumnMajorArray())</c>
    /// is a live vector view, like <see cref="Bias"/>; <c>Parameters[1].GradientSpan</c> is its storage as a span.
    /// </remarks>
    public Matrix<T> BiasGradient => bias.Gradient;

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public Shape? InputShape => Shape.Vector(Inputs);

    /// <inheritdoc />
    public IReadOnlyList<Parameter<T>> Parameters { get; }

    /// <summary>A feature vector of <see cref="Inputs"/> elements gives one of <see cref="Outputs"/>.</summary>
    /// <inheritdoc />
    public Shape GetOutputShape(Shape inputShape)
    {
        LayerErrors.RequireVector(Name, Inputs, inputShape);
        return Shape.Vector(Outputs);
    }

    /// <inheritdoc />
    public LayerConfig GetConfig() => new LayerConfig("linear").With("inputs", (long)Inputs).With("outputs", (long)Outputs);

    /// <summary>
    /// ONNX <c>Gemm(input, Wᵀ, b)</c>: <c>Wᵀ</c> as a row-major <c>[inputs, outputs]</c> tensor is exactly <c>W</c>'s
    /// column-major storage.
    /// </summary>
    /// <inheritdoc />
    public OnnxForm ToOnnx() => OnnxForm.Operator("Gemm")
        .WithInitializer("weight_t", [Inputs, Outputs], LayerValues.ToDoubles(weight.ValueSpan))
        .WithInitializer("bias", [Outputs], LayerValues.ToDoubles(bias.ValueSpan));

    /// <inheritdoc />
    public Matrix<T> Forward(Matrix<T> input)
    {
        LayerErrors.CheckInput(Name, Inputs, input);
        Matrix<T> output = outputs.Get(Outputs, input.ColumnCount);
        Compute(input, output, FusedActivation.None);
        lastInput = input;
        return output;
    }

    /// <inheritdoc />
    public Matrix<T> Backward(Matrix<T> outputGradient) => Backward(outputGradient, inputGradient: true)!;

    /// <summary>
    /// Backward pass that stores the parameter gradients only, skipping <c>∂L/∂X = Wᵀ·G</c>: for the first layer of a
    /// network nobody reads it, and it is a third of the layer's backward arithmetic.
    /// </summary>
    void IParameterGradients<T>.BackwardParameters(Matrix<T> outputGradient) => Backward(outputGradient, inputGradient: false);

    /// <inheritdoc />
    public void Predict(Matrix<T> input, Matrix<T> output) => Predict(input, output, FusedActivation.None);

    /// <summary>The bias and a ReLU are applied in the matrix product's store.</summary>
    /// <inheritdoc />
    bool IActivationFusing<T>.CanFuse(FusedActivation activation) => activation is FusedActivation.None or FusedActivation.Relu;

    /// <inheritdoc />
    void IActivationFusing<T>.Predict(Matrix<T> input, Matrix<T> output, FusedActivation activation) => Predict(input, output, activation);

    private void Predict(Matrix<T> input, Matrix<T> output, FusedActivation activation)
    {
        LayerErrors.CheckInput(Name, Inputs, input);
        LayerErrors.CheckSameShape(Name, "the output", Outputs, input.ColumnCount, output, nameof(output));
        if (ReferenceEquals(input, output))
        {
            throw new ArgumentException($"{Name}: the output must not be the input matrix.", nameof(output));
        }

        Compute(input, output, activation);
    }

    /// <inheritdoc />
    public override string ToString() =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Linear({Inputs} → {Outputs}, {(Inputs * Outputs) + Outputs:N0} parameters)");

    private Matrix<T>? Backward(Matrix<T> outputGradient, bool inputGradient)
    {
        Matrix<T> x = lastInput ?? throw LayerErrors.BackwardBeforeForward(Name);
        int batch = x.ColumnCount;
        LayerErrors.CheckSameShape(Name, "the output gradient", Outputs, batch, outputGradient, nameof(outputGradient));
        T[] g = DenseStorage.Of(outputGradient, nameof(outputGradient));
        T[] xValues = DenseStorage.Of(x, "input");

        // ∂L/∂W = G·Xᵀ  (outputs × batch)·(batch × inputs)
        Gemm.Multiply(false, true, Outputs, Inputs, batch, T.One, g, Outputs, xValues, Inputs, T.Zero, weight.GradientSpan, Outputs);

        // ∂L/∂b = Σ over samples of G's columns
        Span<T> biasGradient = bias.GradientSpan;
        g.AsSpan(0, Outputs).CopyTo(biasGradient);
        for (int j = 1; j < batch; j++)
        {
            System.Numerics.Tensors.TensorPrimitives.Add(biasGradient, g.AsSpan(j * Outputs, Outputs), biasGradient);
        }

        if (!inputGradient)
        {
            return null;
        }

        // ∂L/∂X = Wᵀ·G  (inputs × outputs)·(outputs × batch)
        Matrix<T> result = inputGradients.Get(Inputs, batch);
        Gemm.Multiply(true, false, Inputs, batch, Outputs, T.One, weight.ValueSpan, Outputs, g, Outputs, T.Zero, DenseStorage.Of(result, nameof(inputGradient)), Inputs);
        return result;
    }

    /// <summary><c>Y ← act(W·X + b)</c>, the bias and activation in the product's store (bit for bit as separate passes).</summary>
    private void Compute(Matrix<T> input, Matrix<T> output, FusedActivation activation)
    {
        T[] x = DenseStorage.Of(input, nameof(input));
        T[] y = DenseStorage.Of(output, nameof(output));
        Gemm.MultiplyBiasActivation(
            Outputs, input.ColumnCount, Inputs, weight.ValueSpan, Outputs, x, Inputs, bias.ValueSpan, activation == FusedActivation.Relu, y, Outputs);
    }

    /// <summary>Builds the layer from its configuration (<c>inputs</c>, <c>outputs</c>) with zero weights; the loader fills them in.</summary>
    /// <param name="config">The configuration.</param>
    internal static Linear<T> FromConfig(LayerConfig config) => new(config.GetInt32("inputs"), config.GetInt32("outputs"));

    /// <summary>Imports ONNX <c>Gemm</c> with transA = 0 and alpha = beta = 1 (transB either way: PyTorch writes <c>[out, in]</c> with transB = 1).</summary>
    [OnnxImport("Gemm")]
    internal static Linear<T> FromGemm(OnnxNode node)
    {
        if (node.GetInt("transA", 0) != 0 || node.GetFloat("alpha", 1) != 1 || node.GetFloat("beta", 1) != 1)
        {
            throw node.Error("only Gemm with transA = 0, alpha = 1 and beta = 1 is supported");
        }

        Linear<T> linear = FromWeights(node, transposed: node.GetInt("transB", 0) != 0);
        if (node.HasInput(2))
        {
            linear.SetBias(node, node.GetConstant(2));
        }

        return linear;
    }

    /// <summary>Imports ONNX <c>MatMul</c> by a constant <c>[inputs, outputs]</c> matrix, and a following <c>Add</c> of a constant bias.</summary>
    [OnnxImport("MatMul")]
    internal static Linear<T> FromMatMul(OnnxNode node)
    {
        Linear<T> linear = FromWeights(node, transposed: false);
        if (node.Next is { OperatorType: "Add", InputCount: 2 } add)
        {
            linear.SetBias(add, add.GetConstant(1));
            node.ConsumeNext();
        }

        return linear;
    }

    /// <summary>ONNX's right-hand matrix is <c>[inputs, outputs]</c> (or <c>[outputs, inputs]</c> when transposed); ours is <c>outputs × inputs</c>.</summary>
    private static Linear<T> FromWeights(OnnxNode node, bool transposed)
    {
        (double[] values, long[] dims) = node.GetConstant(1);
        if (dims.Length != 2)
        {
            throw node.Error($"the weight must be a 2-D matrix, its shape is [{string.Join(", ", dims)}]");
        }

        int rows = checked((int)dims[0]);
        int columns = checked((int)dims[1]);
        var linear = transposed ? new Linear<T>(columns, rows) : new Linear<T>(rows, columns);
        Span<T> w = linear.weight.ValueSpan;
        int outputs = linear.Outputs;
        for (int o = 0; o < outputs; o++)
        {
            for (int i = 0; i < linear.Inputs; i++)
            {
                w[(i * outputs) + o] = T.CreateChecked(transposed ? values[(o * columns) + i] : values[(i * columns) + o]);
            }
        }

        return linear;
    }

    private void SetBias(OnnxNode node, (double[] Values, long[] Dimensions) bias)
    {
        if (bias.Values.Length != Outputs || bias.Dimensions.Count(d => d != 1) > 1)
        {
            throw node.Error($"the bias has shape [{string.Join(", ", bias.Dimensions)}], expected [{Outputs}]");
        }

        Span<T> b = this.bias.ValueSpan;
        for (int o = 0; o < Outputs; o++)
        {
            b[o] = T.CreateChecked(bias.Values[o]);
        }
    }

    private static int CheckedInputs(Matrix<T> weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        return weights.ColumnCount;
    }

    private static int CheckedOutputs(Matrix<T> weights, MathNet.Numerics.LinearAlgebra.Vector<T> bias)
    {
        ArgumentNullException.ThrowIfNull(bias);
        if (bias.Count != weights.RowCount)
        {
            throw new ArgumentException(
                $"Linear: the bias has {bias.Count} elements but the weights have {weights.RowCount} rows (outputs × inputs = {weights.RowCount} × {weights.ColumnCount}).",
                nameof(bias));
        }

        return weights.RowCount;
    }
}
