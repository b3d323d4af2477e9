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
public sealed class Linear<T> : ILayer<T>, IParameterGradients<T>
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
    /// <param name="weights">The <c>outputs × inputs</c> weight matrix.</param>
    /// <param name="bias">The bias, of length <c>outputs</c>.</param>
    public Linear(Matrix<T> weights, MathNet.Numerics.LinearAlgebra.Vector<T> bias)
        : this(CheckedInputs(weights), CheckedOutputs(weights, bias))
    {
        weights.CopyTo(weight.Value);
        bias.CopyTo(Bias);
    }

    private Linear(int inputs, int outputs)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputs);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outputs);
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

    /// <summary>Gradient of the loss with respect to <see cref="Bias"/> from the last backward pass (an <c>outputs × 1</c> matrix).</summary>
    public Matrix<T> BiasGradient => bias.Gradient;

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public int? InputSize => Inputs;

    /// <inheritdoc />
    public IReadOnlyList<Parameter<T>> Parameters { get; }

    /// <inheritdoc />
    public int GetOutputSize(int inputSize)
    {
        if (inputSize != Inputs)
        {
            throw new ArgumentException($"{Name}: expects {Inputs} input features, got {inputSize}.", nameof(inputSize));
        }

        return Outputs;
    }

    /// <inheritdoc />
    public Matrix<T> Forward(Matrix<T> input)
    {
        LayerErrors.CheckInput(Name, Inputs, input);
        Matrix<T> output = outputs.Get(Outputs, input.ColumnCount);
        Compute(input, output);
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
    public void Predict(Matrix<T> input, Matrix<T> output)
    {
        LayerErrors.CheckInput(Name, Inputs, input);
        LayerErrors.CheckSameShape(Name, "the output", Outputs, input.ColumnCount, output, nameof(output));
        if (ReferenceEquals(input, output))
        {
            throw new ArgumentException($"{Name}: the output must not be the input matrix.", nameof(output));
        }

        Compute(input, output);
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

    private void Compute(Matrix<T> input, Matrix<T> output)
    {
        T[] x = DenseStorage.Of(input, nameof(input));
        T[] y = DenseStorage.Of(output, nameof(output));
        int batch = input.ColumnCount;
        ReadOnlySpan<T> b = bias.ValueSpan;
        for (int j = 0; j < batch; j++)
        {
            b.CopyTo(y.AsSpan(j * Outputs, Outputs));
        }

        Gemm.Multiply(false, false, Outputs, batch, Inputs, T.One, weight.ValueSpan, Outputs, x, Inputs, T.One, y, Outputs);
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
