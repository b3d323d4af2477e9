using System.Globalization;
using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Compute;

namespace NeuralNet.Layers;

/// <summary>
/// Layer normalization over the last dimension (Ba, Kiros and Hinton, 2016; PyTorch's <c>nn.LayerNorm(features)</c>):
/// each step's feature vector <c>x</c> becomes <c>y = (x − μ)/√(σ² + ε) ⊙ γ + β</c>, with <c>μ</c> and <c>σ²</c> the
/// mean and the biased variance of that step's features.
/// </summary>
/// <remarks>
/// <para>
/// Shapes: samples of shape <c>(steps, features)</c> or <c>(features)</c> (any shape whose last dimension is
/// <c>features</c>), output of the same shape. <c>γ</c> (<c>weight</c>, starts at 1) and <c>β</c> (<c>bias</c>, starts
/// at 0) have <c>features</c> elements; without <c>elementwiseAffine</c> there are no parameters (<c>γ = 1</c>,
/// <c>β = 0</c>). The statistics are the sample's own, so training and inference compute the same and a batch of one
/// is fine.
/// </para>
/// <para>
/// Backward with <c>x̂ = (x − μ)/√(σ² + ε)</c>, <c>g = ∂L/∂y</c> and <c>ĝ = g ⊙ γ</c>, per step of <c>F</c> features:
/// <c>∂L/∂x = (ĝ − mean(ĝ) − x̂ · mean(ĝ ⊙ x̂)) / √(σ² + ε)</c>, <c>∂L/∂γ = Σ g ⊙ x̂</c>, <c>∂L/∂β = Σ g</c> over every
/// step of every sample.
/// </para>
/// <para>
/// Accuracy: both directions compute in double whatever <typeparamref name="T"/> is (sums in a fixed order, so results
/// are deterministic) and round once to <typeparamref name="T"/>.
/// </para>
/// </remarks>
/// <typeparam name="T">Element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
[LayerKind("layer_norm")]
public sealed class LayerNorm<T> : ILayer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Parameter<T>? gamma;
    private readonly Parameter<T>? beta;
    private double[] gammaGradient = [];
    private double[] betaGradient = [];
    private double[] scaledGradient = [];
    private readonly MatrixCache<T> outputs = new();
    private readonly MatrixCache<T> inputGradients = new();
    private Matrix<T>? lastInput;
    private double[] means = [];
    private double[] inverseDeviations = [];

    /// <summary>Creates the layer with <c>γ = 1</c> and <c>β = 0</c>.</summary>
    /// <param name="features">The size of the last dimension, normalized over (PyTorch's <c>normalized_shape</c> of one element); ≥ 1.</param>
    /// <param name="epsilon">Added to the variance before the square root; finite and &gt; 0, also as a <typeparamref name="T"/>. Default 1e-5.</param>
    /// <param name="elementwiseAffine">Whether the layer has the learned <c>weight</c> γ and <c>bias</c> β. Default true.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public LayerNorm(int features, double epsilon = 1e-5, bool elementwiseAffine = true)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(features);
        if (features > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(features), features, $"LayerNorm: {features:N0} features are more than an array holds ({Array.MaxLength:N0}).");
        }

        T converted = T.CreateSaturating(epsilon);
        if (!(epsilon > 0) || !double.IsFinite(epsilon) || !T.IsFinite(converted) || !(converted > T.Zero))
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, $"LayerNorm: epsilon must be finite and positive as a {typeof(T).Name}, got {epsilon}.");
        }

        Features = features;
        Epsilon = epsilon;
        ElementwiseAffine = elementwiseAffine;
        Name = string.Create(CultureInfo.InvariantCulture, $"LayerNorm({features})");
        if (elementwiseAffine)
        {
            gamma = new Parameter<T>("weight", features, 1);
            beta = new Parameter<T>("bias", features, 1);
            gamma.ValueSpan.Fill(T.One);
            Parameters = [gamma, beta];
        }
        else
        {
            Parameters = [];
        }
    }

    /// <summary>The size of the normalized last dimension.</summary>
    public int Features { get; }

    /// <summary>The <c>ε</c> added to the variance.</summary>
    public double Epsilon { get; }

    /// <summary>Whether the layer has the learned <c>weight</c> and <c>bias</c>.</summary>
    public bool ElementwiseAffine { get; }

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>Any shape whose last dimension is <see cref="Features"/>.</summary>
    /// <inheritdoc />
    public Shape? InputShape => null;

    /// <inheritdoc />
    public IReadOnlyList<Parameter<T>> Parameters { get; }

    /// <summary>The input shape itself, when its last dimension is <see cref="Features"/>.</summary>
    /// <inheritdoc />
    public Shape GetOutputShape(Shape inputShape)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        if (inputShape[inputShape.Rank - 1] != Features)
        {
            throw LayerErrors.WrongShape(Name, $"a last dimension of {Features} features, e.g. (steps, {Features}) or ({Features})", inputShape);
        }

        return inputShape;
    }

    /// <inheritdoc />
    public LayerConfig GetConfig() =>
        new LayerConfig("layer_norm").With("features", (long)Features).With("epsilon", Epsilon).With("elementwise_affine", ElementwiseAffine);

    /// <summary>
    /// ONNX <c>LayerNormalization(X, Scale = γ, B = β)</c> over the last axis (opset 17); without the affine parameters
    /// the scale is 1 and the bias 0.
    /// </summary>
    /// <inheritdoc />
    public OnnxForm ToOnnx()
    {
        long[] dims = [Features];
        double[] scale = gamma is null ? [.. Enumerable.Repeat(1.0, Features)] : LayerValues.ToDoubles<T>(gamma.ValueSpan);
        double[] bias = beta is null ? new double[Features] : LayerValues.ToDoubles<T>(beta.ValueSpan);
        return OnnxForm.Operator("LayerNormalization", minimumOpset: 17)
            .WithAttribute("axis", -1L)
            .WithAttribute("epsilon", Epsilon)
            .WithInitializer("weight", dims, scale)
            .WithInitializer("bias", dims, bias);
    }

    /// <summary>Training pass: normalizes each step and keeps its mean and <c>1/√(σ² + ε)</c> for <see cref="Backward"/>.</summary>
    /// <inheritdoc />
    public Matrix<T> Forward(Matrix<T> input)
    {
        CheckRows(input);
        int steps = input.RowCount / Features * input.ColumnCount;
        if (means.Length != steps)
        {
            means = new double[steps];
            inverseDeviations = new double[steps];
        }

        Matrix<T> output = outputs.Get(input.RowCount, input.ColumnCount);
        Normalize(DenseStorage.Of(input, nameof(input)), DenseStorage.Of(output, nameof(output)), means, inverseDeviations);
        lastInput = input;
        return output;
    }

    /// <inheritdoc />
    public Matrix<T> Backward(Matrix<T> outputGradient)
    {
        Matrix<T> input = lastInput ?? throw LayerErrors.BackwardBeforeForward(Name);
        LayerErrors.CheckSameShape(Name, "the output gradient", input.RowCount, input.ColumnCount, outputGradient, nameof(outputGradient));
        T[] x = DenseStorage.Of(input, nameof(input));
        T[] g = DenseStorage.Of(outputGradient, nameof(outputGradient));
        Matrix<T> inputGradient = inputGradients.Get(input.RowCount, input.ColumnCount);
        T[] dx = DenseStorage.Of(inputGradient, nameof(inputGradient));
        if (scaledGradient.Length != Features)
        {
            // Allocated on the first backward pass, so that loading a layer costs nothing beyond its parameters.
            gammaGradient = new double[Features];
            betaGradient = new double[Features];
            scaledGradient = new double[Features];
        }

        Array.Clear(gammaGradient);
        Array.Clear(betaGradient);
        int f = Features;
        ReadOnlySpan<T> w = gamma is null ? default : gamma.ValueSpan;
        for (int step = 0; step < means.Length; step++)
        {
            int offset = step * f;
            double mean = means[step];
            double inverse = inverseDeviations[step];
            double sumScaled = 0;
            double sumScaledNormalized = 0;
            for (int i = 0; i < f; i++)
            {
                double gi = double.CreateChecked(g[offset + i]);
                double normalized = (double.CreateChecked(x[offset + i]) - mean) * inverse;
                double scaled = gamma is null ? gi : gi * double.CreateChecked(w[i]);
                scaledGradient[i] = scaled;
                sumScaled += scaled;
                sumScaledNormalized += scaled * normalized;
                gammaGradient[i] += gi * normalized;
                betaGradient[i] += gi;
            }

            double meanScaled = sumScaled / f;
            double meanScaledNormalized = sumScaledNormalized / f;
            for (int i = 0; i < f; i++)
            {
                double normalized = (double.CreateChecked(x[offset + i]) - mean) * inverse;
                dx[offset + i] = T.CreateChecked((scaledGradient[i] - meanScaled - (normalized * meanScaledNormalized)) * inverse);
            }
        }

        if (gamma is not null && beta is not null)
        {
            for (int i = 0; i < f; i++)
            {
                gamma.GradientSpan[i] = T.CreateChecked(gammaGradient[i]);
                beta.GradientSpan[i] = T.CreateChecked(betaGradient[i]);
            }
        }

        return inputGradient;
    }

    /// <summary>Inference: the same computation as <see cref="Forward"/>. Thread-safe; changes nothing.</summary>
    /// <inheritdoc />
    public void Predict(Matrix<T> input, Matrix<T> output)
    {
        CheckRows(input);
        LayerErrors.CheckSameShape(Name, "the output", input.RowCount, input.ColumnCount, output, nameof(output));
        Normalize(DenseStorage.Of(input, nameof(input)), DenseStorage.Of(output, nameof(output)), null, null);
    }

    /// <inheritdoc />
    public override string ToString() => ElementwiseAffine
        ? string.Create(CultureInfo.InvariantCulture, $"LayerNorm({Features}, {2L * Features:N0} parameters)")
        : string.Create(CultureInfo.InvariantCulture, $"LayerNorm({Features}, no parameters)");

    /// <summary>Builds the layer from its configuration (<c>features</c>, <c>epsilon</c>, <c>elementwise_affine</c>).</summary>
    /// <param name="config">The configuration.</param>
    internal static LayerNorm<T> FromConfig(LayerConfig config) =>
        new(config.GetInt32("features"), config.GetNumber("epsilon"), config.GetBoolean("elementwise_affine"));

    /// <summary>
    /// Imports ONNX <c>LayerNormalization</c> over the last axis (axis −1, or the last axis of a known input shape) with a
    /// 1-D constant scale and an optional 1-D constant bias, computing in float (stash_type 1) and with only its first
    /// output used; the layer always has the affine parameters, holding the file's scale and bias (0 when absent).
    /// </summary>
    [OnnxImport("LayerNormalization", MinimumOpset = 17)]
    internal static LayerNorm<T> FromOnnx(OnnxNode node)
    {
        long axis = node.GetInt("axis", -1);
        if (axis != -1 && !(node.InputShape is Shape shape && axis == shape.Rank))
        {
            throw node.Error($"only normalization over the last axis is supported, the node has axis {axis}");
        }

        if (node.GetInt("stash_type", 1) != 1)
        {
            throw node.Error("only stash_type 1 (computing in float) is supported");
        }

        if (node.OutputCount != 1)
        {
            throw node.Error("the optional Mean and InvStdDev outputs are not supported");
        }

        (double[] scale, long[] scaleDims) = node.GetConstant(1);
        if (scaleDims.Length != 1)
        {
            throw node.Error($"the scale must be 1-D, it has shape [{string.Join(", ", scaleDims)}]");
        }

        var layer = new LayerNorm<T>(scale.Length, node.GetFloat("epsilon", 1e-5));
        Span<T> weight = layer.gamma!.ValueSpan;
        for (int i = 0; i < scale.Length; i++)
        {
            weight[i] = T.CreateChecked(scale[i]);
        }

        if (node.HasInput(2))
        {
            (double[] bias, long[] biasDims) = node.GetConstant(2);
            if (biasDims.Length != 1 || bias.Length != scale.Length)
            {
                throw node.Error($"the bias has shape [{string.Join(", ", biasDims)}], expected [{scale.Length}]");
            }

            Span<T> b = layer.beta!.ValueSpan;
            for (int i = 0; i < bias.Length; i++)
            {
                b[i] = T.CreateChecked(bias[i]);
            }
        }

        return layer;
    }

    private void CheckRows(Matrix<T> input)
    {
        LayerErrors.CheckInput(Name, null, input);
        if (input.RowCount % Features != 0)
        {
            throw new ArgumentException(
                $"{Name}: expected samples whose last dimension is {Features} features, i.e. a multiple of {Features} rows × batch, got {LayerErrors.Shape(input)}.",
                nameof(input));
        }
    }

    /// <summary>Normalizes every step of every sample (in double); keeps the statistics when arrays are given.</summary>
    private void Normalize(T[] x, T[] y, double[]? stepMeans, double[]? stepInverses)
    {
        int f = Features;
        int steps = x.Length / f;
        double epsilon = double.CreateChecked(T.CreateChecked(Epsilon));
        bool affine = gamma is not null && beta is not null;
        ReadOnlySpan<T> w = gamma is null ? default : gamma.ValueSpan;
        ReadOnlySpan<T> b = beta is null ? default : beta.ValueSpan;
        for (int step = 0; step < steps; step++)
        {
            int offset = step * f;
            double sum = 0;
            for (int i = 0; i < f; i++)
            {
                sum += double.CreateChecked(x[offset + i]);
            }

            double mean = sum / f;
            double squares = 0;
            for (int i = 0; i < f; i++)
            {
                double centred = double.CreateChecked(x[offset + i]) - mean;
                squares += centred * centred;
            }

            double inverse = 1 / Math.Sqrt((squares / f) + epsilon);
            for (int i = 0; i < f; i++)
            {
                double normalized = (double.CreateChecked(x[offset + i]) - mean) * inverse;
                y[offset + i] = affine
                    ? T.CreateChecked((normalized * double.CreateChecked(w[i])) + double.CreateChecked(b[i]))
                    : T.CreateChecked(normalized);
            }

            if (stepMeans is not null && stepInverses is not null)
            {
                stepMeans[step] = mean;
                stepInverses[step] = inverse;
            }
        }
    }
}
