using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Compute;
using NeuralNet.Data;

namespace NeuralNet.Layers;

/// <summary>
/// Feature standardization inside the model (Keras's <c>Normalization</c>): <c>yᵢ = (xᵢ − μᵢ) / σᵢ</c> per feature
/// <c>i</c>, with <c>σᵢ = √varianceᵢ</c>, where the mean <c>μ</c> and the variance are fitted to training data by
/// <see cref="Adapt(Matrix{T})"/> and then saved with the model, so a loaded network takes raw features.
/// </summary>
/// <remarks>
/// <para>
/// <b>Statistics, not parameters.</b> The mean and variance are buffers (<c>mean</c>, <c>variance</c>): saved, loaded,
/// checkpointed and restored with the best weights, counted by <see cref="Network{T}.Summary"/> as non-trainable values,
/// and never changed by training. A new layer holds mean 0 and variance 1 (the identity) until it is adapted or its
/// statistics are given.
/// </para>
/// <para>
/// <b>Zero variance.</b> There is no epsilon: a feature whose variance is 0 (constant in the data it was adapted to) is
/// centred but not divided (divisor 1), as <see cref="StandardScaler{T}"/> does, so it becomes 0 on that data and keeps
/// its distance from the mean elsewhere. Any positive variance, however small, is divided by.
/// </para>
/// <para>
/// <b>Backward.</b> <c>∂L/∂xᵢ = ∂L/∂yᵢ / σᵢ</c> (with the same divisor rule); the layer has no parameters.
/// </para>
/// <para>
/// <b>ONNX.</b> One inference-mode <c>BatchNormalization</c> node with scale 1, bias 0, the mean, the variance (1 for a
/// zero-variance feature) and epsilon 0: exactly <c>(x − μ)/√variance</c> up to float rounding. Importing such a node
/// (epsilon 0, scale 1, bias 0) gives this layer back.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// var normalization = new Normalization&lt;float&gt;(4);
/// normalization.Adapt(training);                    // population mean and variance of each feature
/// var network = new Network&lt;float&gt;(normalization, new Linear&lt;float&gt;(4, 16, random), new ReLU&lt;float&gt;(), new Linear&lt;float&gt;(16, 3, random));
/// </code>
/// </example>
/// <typeparam name="T">Element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
[LayerKind("normalization")]
public sealed class Normalization<T> : ILayer<T>, IParameterGradients<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] mean;
    private readonly T[] variance;
    private readonly T[] divisor;
    private readonly MatrixCache<T> outputs = new();
    private readonly MatrixCache<T> inputGradients = new();
    private bool forwardRun;

    /// <summary>Creates the layer for feature vectors of <paramref name="features"/> elements, with mean 0 and variance 1 (the identity) until <see cref="Adapt(Matrix{T})"/>.</summary>
    /// <param name="features">Number of features (rows) it normalizes; ≥ 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="features"/> is less than 1.</exception>
    public Normalization(int features)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(features);
        if (features > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(features), features, $"Normalization: {features:N0} features are more than an array holds ({Array.MaxLength:N0}).");
        }

        Features = features;
        Name = string.Create(CultureInfo.InvariantCulture, $"Normalization({features})");
        mean = new T[features];
        variance = new T[features];
        variance.AsSpan().Fill(T.One);
        divisor = new T[features];
        Buffers =
        [
            LayerBuffer<T>.Statistics("mean", mean),
            LayerBuffer<T>.Statistics("variance", variance, LayerBufferRule.FiniteNonNegative),
        ];
    }

    /// <summary>Creates the layer with given statistics (Keras's <c>Normalization(mean=…, variance=…)</c>).</summary>
    /// <param name="mean">The mean of each feature; finite.</param>
    /// <param name="variance">The variance of each feature, as many as <paramref name="mean"/>; finite and ≥ 0.</param>
    /// <exception cref="ArgumentException">The lists are empty or differ in length, or a value is not finite in <typeparamref name="T"/> or a variance is negative.</exception>
    public Normalization(IReadOnlyList<double> mean, IReadOnlyList<double> variance)
        : this(CheckedLength(mean, variance))
    {
        for (int i = 0; i < Features; i++)
        {
            this.mean[i] = T.CreateChecked(mean[i]);
            this.variance[i] = T.CreateChecked(variance[i]);
        }

        foreach (LayerBuffer<T> buffer in Buffers)
        {
            if (buffer.FindViolation() is string violation)
            {
                throw new ArgumentException($"{Name}: {violation}.", buffer.Name);
            }
        }
    }

    /// <summary>Number of features normalized.</summary>
    public int Features { get; }

    /// <summary>The mean <c>μ</c> of each feature (a live view; writes change the layer).</summary>
    public Span<T> Mean => mean;

    /// <summary>The variance of each feature (a live view; writes change the layer; keep it finite and ≥ 0).</summary>
    public Span<T> Variance => variance;

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public Shape? InputShape => Shape.Vector(Features);

    /// <summary>None: the statistics are not trained.</summary>
    /// <inheritdoc />
    public IReadOnlyList<Parameter<T>> Parameters => [];

    /// <summary><c>mean</c> and <c>variance</c> (Keras's names), each <see cref="Features"/> values.</summary>
    /// <inheritdoc />
    public IReadOnlyList<LayerBuffer<T>> Buffers { get; }

    /// <inheritdoc />
    public LayerTraits Traits => LayerTraits.None;

    /// <summary>
    /// Sets the mean and the population variance (<c>Σ(x − μ)²/n</c>, as <see cref="StandardScaler{T}"/>) of each
    /// feature from training data, computed in double precision. A feature whose values are all equal gets exactly that
    /// value as mean and variance 0.
    /// </summary>
    /// <param name="features">The training inputs, <c>features × samples</c> (one sample per column); at least one sample, finite values.</param>
    /// <exception cref="ArgumentException">The row count differs from <see cref="Features"/>, there are no samples, or a value is NaN or ∞; the layer is unchanged.</exception>
    public void Adapt(Matrix<T> features)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (features.RowCount != Features)
        {
            throw new ArgumentException($"{Name}: adapting needs {Features} features × samples (one sample per column), got {LayerErrors.Shape(features)}.", nameof(features));
        }

        int samples = features.ColumnCount;
        if (samples == 0)
        {
            throw new ArgumentException($"{Name}: cannot adapt to zero samples.", nameof(features));
        }

        T[] x = DenseStorage.Of(features, nameof(features));
        var sums = new double[Features];
        var minimum = new double[Features];
        var maximum = new double[Features];
        minimum.AsSpan().Fill(double.PositiveInfinity);
        maximum.AsSpan().Fill(double.NegativeInfinity);
        for (int j = 0; j < samples; j++)
        {
            for (int i = 0; i < Features; i++)
            {
                double value = double.CreateChecked(x[(j * Features) + i]);
                if (!double.IsFinite(value))
                {
                    throw new ArgumentException($"{Name}: feature {i} of sample {j} is {value}; adapting needs finite values.", nameof(features));
                }

                sums[i] += value;
                minimum[i] = Math.Min(minimum[i], value);
                maximum[i] = Math.Max(maximum[i], value);
            }
        }

        var means = new double[Features];
        var squares = new double[Features];
        for (int i = 0; i < Features; i++)
        {
            means[i] = minimum[i] == maximum[i] ? minimum[i] : sums[i] / samples;
        }

        for (int j = 0; j < samples; j++)
        {
            for (int i = 0; i < Features; i++)
            {
                double centred = double.CreateChecked(x[(j * Features) + i]) - means[i];
                squares[i] += centred * centred;
            }
        }

        for (int i = 0; i < Features; i++)
        {
            mean[i] = T.CreateChecked(means[i]);
            variance[i] = minimum[i] == maximum[i] ? T.Zero : T.CreateChecked(squares[i] / samples);
        }
    }

    /// <summary>
    /// A fitted <see cref="StandardScaler{T}"/> or <see cref="MinMaxScaler{T}"/> as a layer to put first in a network, so
    /// that the model file carries the scaling and a loaded network takes raw features: mean = offset and variance =
    /// scale² per feature, hence <c>(x − offset)/scale</c>. For <see cref="MinMaxScaler{T}"/> the "variance" is the squared
    /// range. Scalers are not saved on their own; save the network that holds this layer.
    /// </summary>
    /// <remarks>
    /// The layer computes in <typeparamref name="T"/> with the statistics rounded to it, where the scaler's
    /// <c>Transform</c> computes in double and rounds the result, so the two agree to the rounding of
    /// <typeparamref name="T"/>, not bit for bit. A feature the scaler only shifts (divisor 1) gets variance 1.
    /// </remarks>
    /// <param name="scaler">A fitted scaler.</param>
    /// <returns>A new layer for the scaler's <see cref="FeatureScaler{T}.FeatureCount"/> features; later fits of the scaler do not change it.</returns>
    /// <exception cref="InvalidOperationException">The scaler has not been fitted.</exception>
    /// <exception cref="ArgumentException">An offset or squared scale is not finite in <typeparamref name="T"/> (a range beyond about 1.8e19 in float).</exception>
    public static Normalization<T> FromScaler(FeatureScaler<T> scaler)
    {
        ArgumentNullException.ThrowIfNull(scaler);
        return new Normalization<T>(scaler.Offsets, [.. scaler.Scales.Select(s => s * s)]);
    }

    /// <summary>Adapts to the features of a dataset (see <see cref="Adapt(Matrix{T})"/>); labels and targets are not used.</summary>
    /// <param name="data">The training samples.</param>
    /// <exception cref="ArgumentException">The dataset has another feature count, no samples, or a NaN or ∞ feature.</exception>
    public void Adapt(Dataset<T> data)
    {
        ArgumentNullException.ThrowIfNull(data);
        Adapt(data.Features);
    }

    /// <inheritdoc />
    public Shape GetOutputShape(Shape inputShape) => LayerErrors.RequireVector(Name, Features, inputShape);

    /// <inheritdoc />
    public LayerConfig GetConfig() => new LayerConfig("normalization").With("features", Features);

    /// <summary>
    /// Inference-mode ONNX <c>BatchNormalization(X, scale = 1, B = 0, mean, var)</c> with epsilon 0, which computes
    /// <c>(x − mean)/√var</c>; a zero variance is exported as 1 (the divisor rule).
    /// </summary>
    /// <inheritdoc />
    public OnnxForm ToOnnx()
    {
        long[] dims = [Features];
        double[] ones = [.. Enumerable.Repeat(1.0, Features)];
        double[] variances = [.. variance.Select(v => v > T.Zero ? double.CreateChecked(v) : 1.0)];
        return OnnxForm.Operator("BatchNormalization")
            .WithAttribute("epsilon", 0.0)
            .WithInitializer("scale", dims, ones)
            .WithInitializer("bias", dims, new double[Features])
            .WithInitializer("mean", dims, LayerValues.ToDoubles<T>(mean))
            .WithInitializer("variance", dims, variances);
    }

    /// <summary>Training pass: the same as <see cref="Predict"/> (the statistics do not change).</summary>
    /// <inheritdoc />
    public Matrix<T> Forward(Matrix<T> input)
    {
        LayerErrors.CheckInput(Name, Features, input);
        Divisors(divisor);
        Matrix<T> output = outputs.Get(Features, input.ColumnCount);
        Apply(input, output, divisor);
        forwardRun = true;
        return output;
    }

    /// <summary><c>∂L/∂x = ∂L/∂y / σ</c> per feature, with the divisors of the last <see cref="Forward"/>.</summary>
    /// <inheritdoc />
    public Matrix<T> Backward(Matrix<T> outputGradient)
    {
        if (!forwardRun)
        {
            throw LayerErrors.BackwardBeforeForward(Name);
        }

        LayerErrors.CheckInput(Name, Features, outputGradient);
        T[] g = DenseStorage.Of(outputGradient, nameof(outputGradient));
        Matrix<T> inputGradient = inputGradients.Get(Features, outputGradient.ColumnCount);
        T[] dx = DenseStorage.Of(inputGradient, nameof(inputGradient));
        for (int j = 0; j < outputGradient.ColumnCount; j++)
        {
            TensorPrimitives.Divide(g.AsSpan(j * Features, Features), divisor, dx.AsSpan(j * Features, Features));
        }

        return inputGradient;
    }

    /// <summary>Nothing to do as the first layer: no parameters, and training never reads <c>∂L/∂x</c>.</summary>
    void IParameterGradients<T>.BackwardParameters(Matrix<T> outputGradient)
    {
        if (!forwardRun)
        {
            throw LayerErrors.BackwardBeforeForward(Name);
        }
    }

    /// <summary>Inference: <c>y = (x − μ)/σ</c> per feature. Thread-safe; changes nothing.</summary>
    /// <inheritdoc />
    public void Predict(Matrix<T> input, Matrix<T> output)
    {
        LayerErrors.CheckInput(Name, Features, input);
        LayerErrors.CheckSameShape(Name, "the output", Features, input.ColumnCount, output, nameof(output));

        // The divisors are recomputed per call into rented scratch, so concurrent calls share nothing and a write into
        // the variance buffer (loading, restoring the best weights) is always seen.
        T[] scratch = System.Buffers.ArrayPool<T>.Shared.Rent(Features);
        Span<T> divisors = scratch.AsSpan(0, Features);
        Divisors(divisors);
        Apply(input, output, divisors);
        System.Buffers.ArrayPool<T>.Shared.Return(scratch);
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"Normalization({Features}, {2 * Features:N0} statistics)");

    /// <summary>Builds the layer from its configuration (<c>features</c>).</summary>
    /// <param name="config">The configuration.</param>
    internal static Normalization<T> FromConfig(LayerConfig config) => new(config.GetInt32("features"));

    /// <summary>The layer of an imported <c>BatchNormalization</c> node with epsilon 0, scale 1 and bias 0 (see <see cref="BatchNorm1d{T}"/>'s importer).</summary>
    internal static Normalization<T> FromOnnx(OnnxNode node, double[] means, double[] variances)
    {
        var layer = new Normalization<T>(means.Length);
        for (int i = 0; i < means.Length; i++)
        {
            layer.mean[i] = T.CreateChecked(means[i]);
            layer.variance[i] = T.CreateChecked(variances[i]);
        }

        foreach (LayerBuffer<T> buffer in layer.Buffers)
        {
            if (buffer.FindViolation() is string violation)
            {
                throw node.Error(violation);
            }
        }

        return layer;
    }

    private static int CheckedLength(IReadOnlyList<double> mean, IReadOnlyList<double> variance)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(variance);
        if (mean.Count == 0 || mean.Count != variance.Count)
        {
            throw new ArgumentException($"Normalization: {mean.Count} means and {variance.Count} variances; give one of each per feature, at least one.", nameof(variance));
        }

        return mean.Count;
    }

    /// <summary><c>√variance</c>, or 1 where the variance is 0.</summary>
    private void Divisors(Span<T> destination)
    {
        TensorPrimitives.Sqrt<T>(variance, destination);
        for (int i = 0; i < destination.Length; i++)
        {
            if (destination[i] == T.Zero)
            {
                destination[i] = T.One;
            }
        }
    }

    private void Apply(Matrix<T> input, Matrix<T> output, ReadOnlySpan<T> divisors)
    {
        T[] x = DenseStorage.Of(input, nameof(input));
        T[] y = DenseStorage.Of(output, nameof(output));
        for (int j = 0; j < input.ColumnCount; j++)
        {
            Span<T> column = y.AsSpan(j * Features, Features);
            TensorPrimitives.Subtract(x.AsSpan(j * Features, Features), mean, column);
            TensorPrimitives.Divide(column, divisors, column);
        }
    }
}
