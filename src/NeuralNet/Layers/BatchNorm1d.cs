using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Compute;

namespace NeuralNet.Layers;

/// <summary>
/// Batch normalization over a minibatch, per feature (Ioffe and Szegedy, 2015; PyTorch's <c>nn.BatchNorm1d</c>):
/// <c>yᵢⱼ = γᵢ · (xᵢⱼ − μᵢ) / √(σᵢ² + ε) + βᵢ</c>, where in training <c>μᵢ</c> and <c>σᵢ²</c> are the mean and the biased
/// variance of feature <c>i</c> over the batch's <c>N</c> samples, and at inference the running estimates.
/// </summary>
/// <remarks>
/// <para>
/// Shapes: input and output <c>features × N</c>; <c>γ</c> ("weight", starts at 1) and <c>β</c> ("bias", starts at 0)
/// are <c>features × 1</c>.
/// </para>
/// <para>
/// Running statistics: every training <see cref="Forward"/> updates <c>μ̄ ← (1 − m)·μ̄ + m·μ</c> and
/// <c>σ̄² ← (1 − m)·σ̄² + m·σ²·N/(N − 1)</c> (the unbiased batch variance, as PyTorch), starting from 0 and 1.
/// <see cref="Predict"/> uses only these, so it is deterministic, independent of the batch, and thread-safe.
/// </para>
/// <para>
/// Backward with <c>x̂ = (x − μ)/√(σ² + ε)</c> and <c>g = ∂L/∂y</c>: <c>∂L/∂γᵢ = Σⱼ gᵢⱼ x̂ᵢⱼ</c>, <c>∂L/∂βᵢ = Σⱼ gᵢⱼ</c>,
/// <c>∂L/∂xᵢⱼ = γᵢ / (N √(σᵢ² + ε)) · (N gᵢⱼ − Σₖ gᵢₖ − x̂ᵢⱼ Σₖ gᵢₖ x̂ᵢₖ)</c>.
/// </para>
/// <para>
/// A training batch needs at least 2 samples. With a <see cref="Training.Trainer{T}"/>, pick a batch size that does not
/// leave a last batch of 1 sample (training count mod batch size ≠ 1); such a batch throws before any update.
/// </para>
/// </remarks>
/// <typeparam name="T">Element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
[LayerKind("batch_norm_1d")]
public sealed class BatchNorm1d<T> : ILayer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Parameter<T> gamma;
    private readonly Parameter<T> beta;
    private readonly T[] runningMean;
    private readonly T[] runningVariance;
    private readonly T[] mean;
    private readonly T[] variance;
    private readonly T[] inverseStd;
    private readonly T[] sumGradient;
    private readonly T[] sumGradientNormalized;
    private readonly T[] scratch;
    private readonly T[] product;
    private readonly MatrixCache<T> normalizedCache = new();
    private readonly MatrixCache<T> outputs = new();
    private readonly MatrixCache<T> inputGradients = new();
    private Matrix<T>? lastNormalized;

    /// <summary>Creates the layer with <c>γ = 1</c>, <c>β = 0</c>, running mean 0 and running variance 1.</summary>
    /// <param name="features">Number of features (rows) it normalizes; at least 1, at most what an array holds.</param>
    /// <param name="momentum">Weight <c>m</c> of the new batch in the running statistics, in (0, 1], and above 0 as a <typeparamref name="T"/>. Default 0.1.</param>
    /// <param name="epsilon">Added to the variance before the square root; finite and &gt; 0, also as a <typeparamref name="T"/>. Default 1e-5.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public BatchNorm1d(int features, double momentum = 0.1, double epsilon = 1e-5)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(features);
        if (features > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(features), features, $"BatchNorm1d: {features:N0} features are more than an array holds ({Array.MaxLength:N0}).");
        }

        if (!(momentum > 0 && momentum <= 1) || !(T.CreateSaturating(momentum) > T.Zero))
        {
            throw new ArgumentOutOfRangeException(nameof(momentum), momentum, $"BatchNorm1d: the momentum must be in (0, 1] and above 0 as a {typeof(T).Name}, got {momentum}.");
        }

        T converted = T.CreateSaturating(epsilon);
        if (!(epsilon > 0) || !double.IsFinite(epsilon) || !T.IsFinite(converted) || !(converted > T.Zero))
        {
            // An epsilon of 0 in T would divide a constant feature by √0.
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, $"BatchNorm1d: epsilon must be finite and positive as a {typeof(T).Name}, got {epsilon}.");
        }

        Features = features;
        Momentum = momentum;
        Epsilon = epsilon;
        Name = string.Create(CultureInfo.InvariantCulture, $"BatchNorm1d({features})");
        gamma = new Parameter<T>("weight", features, 1);
        beta = new Parameter<T>("bias", features, 1);
        gamma.ValueSpan.Fill(T.One);
        Parameters = [gamma, beta];
        runningMean = new T[features];
        runningVariance = new T[features];
        runningVariance.AsSpan().Fill(T.One);
        Buffers =
        [
            LayerBuffer<T>.Statistics("running_mean", runningMean),
            LayerBuffer<T>.Statistics("running_var", runningVariance, LayerBufferRule.FiniteNonNegative),
        ];
        mean = new T[features];
        variance = new T[features];
        inverseStd = new T[features];
        sumGradient = new T[features];
        sumGradientNormalized = new T[features];
        scratch = new T[features];
        product = new T[features];
    }

    /// <summary>Number of features normalized.</summary>
    public int Features { get; }

    /// <summary>Weight <c>m</c> of each new batch in the running statistics.</summary>
    public double Momentum { get; }

    /// <summary>The <c>ε</c> added to the variance.</summary>
    public double Epsilon { get; }

    /// <summary>The running mean <c>μ̄</c> used by <see cref="Predict"/> (a live view; writes change the layer).</summary>
    public Span<T> RunningMean => runningMean;

    /// <summary>The running variance <c>σ̄²</c> used by <see cref="Predict"/> (a live view; writes change the layer).</summary>
    public Span<T> RunningVariance => runningVariance;

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public Shape? InputShape => Shape.Vector(Features);

    /// <inheritdoc />
    public IReadOnlyList<Parameter<T>> Parameters { get; }

    /// <summary><c>running_mean</c> and <c>running_var</c> (PyTorch's names), used by <see cref="Predict"/>.</summary>
    /// <inheritdoc />
    public IReadOnlyList<LayerBuffer<T>> Buffers { get; }

    /// <inheritdoc />
    public LayerTraits Traits => LayerTraits.UsesBatchStatistics;

    /// <inheritdoc />
    public Shape GetOutputShape(Shape inputShape) => LayerErrors.RequireVector(Name, Features, inputShape);

    /// <inheritdoc />
    public LayerConfig GetConfig() =>
        new LayerConfig("batch_norm_1d").With("features", Features).With("momentum", Momentum).With("epsilon", Epsilon);

    /// <summary>
    /// Inference-mode ONNX <c>BatchNormalization(X, scale = γ, B = β, mean, var)</c>: on <c>[batch, features]</c> the
    /// channel axis 1 is our feature axis. ONNX's momentum weighs the old running value, ours the new batch: <c>1 − m</c>.
    /// </summary>
    /// <inheritdoc />
    public OnnxForm ToOnnx()
    {
        if ((float)(1 - Momentum) == 1f)
        {
            // ONNX's momentum is 1 − m as a float32, which is 1 for m below about 3·10⁻⁸: the file would say m = 0.
            return OnnxForm.NotSupported(string.Create(
                CultureInfo.InvariantCulture, $"its momentum {Momentum} is too small for ONNX's float32 momentum attribute 1 − m, which would round to 1"));
        }

        long[] dims = [Features];
        return OnnxForm.Operator("BatchNormalization")
            .WithAttribute("epsilon", Epsilon)
            .WithAttribute("momentum", 1 - Momentum)
            .WithInitializer("weight", dims, LayerValues.ToDoubles(gamma.ValueSpan))
            .WithInitializer("bias", dims, LayerValues.ToDoubles(beta.ValueSpan))
            .WithInitializer("running_mean", dims, LayerValues.ToDoubles(runningMean))
            .WithInitializer("running_var", dims, LayerValues.ToDoubles(runningVariance));
    }

    /// <summary>Training pass: normalizes with the batch statistics and updates the running ones.</summary>
    /// <inheritdoc />
    /// <exception cref="ArgumentException">The batch has a single sample (its variance is undefined).</exception>
    public Matrix<T> Forward(Matrix<T> input)
    {
        LayerErrors.CheckInput(Name, Features, input);
        int n = input.ColumnCount;
        if (n < 2)
        {
            throw new ArgumentException($"{Name}: training needs at least 2 samples per batch to estimate a variance, got {LayerErrors.Shape(input)}.", nameof(input));
        }

        T[] x = DenseStorage.Of(input, nameof(input));
        Matrix<T> normalized = normalizedCache.Get(Features, n);
        T[] xHat = DenseStorage.Of(normalized, nameof(normalized));
        T count = T.CreateChecked(n);

        mean.AsSpan().Clear();
        for (int j = 0; j < n; j++)
        {
            TensorPrimitives.Add(mean, x.AsSpan(j * Features, Features), mean);
        }

        TensorPrimitives.Divide(mean, count, mean);
        variance.AsSpan().Clear();
        for (int j = 0; j < n; j++)
        {
            Span<T> centred = xHat.AsSpan(j * Features, Features);
            TensorPrimitives.Subtract(x.AsSpan(j * Features, Features), mean, centred);
            TensorPrimitives.MultiplyAdd(centred, centred, variance, variance);
        }

        TensorPrimitives.Divide(variance, count, variance);

        // 1/√(σ² + ε)
        TensorPrimitives.Add(variance, T.CreateChecked(Epsilon), inverseStd);
        TensorPrimitives.Sqrt(inverseStd, inverseStd);
        TensorPrimitives.Reciprocal(inverseStd, inverseStd);

        Matrix<T> output = outputs.Get(Features, n);
        T[] y = DenseStorage.Of(output, nameof(output));
        for (int j = 0; j < n; j++)
        {
            Span<T> column = xHat.AsSpan(j * Features, Features);
            TensorPrimitives.Multiply(column, inverseStd, column);
            TensorPrimitives.FusedMultiplyAdd(column, gamma.ValueSpan, beta.ValueSpan, y.AsSpan(j * Features, Features));
        }

        UpdateRunningStatistics(n);
        lastNormalized = normalized;
        return output;
    }

    /// <inheritdoc />
    public Matrix<T> Backward(Matrix<T> outputGradient)
    {
        Matrix<T> normalized = lastNormalized ?? throw LayerErrors.BackwardBeforeForward(Name);
        int n = normalized.ColumnCount;
        LayerErrors.CheckSameShape(Name, "the output gradient", Features, n, outputGradient, nameof(outputGradient));
        T[] g = DenseStorage.Of(outputGradient, nameof(outputGradient));
        T[] xHat = DenseStorage.Of(normalized, nameof(normalized));

        sumGradient.AsSpan().Clear();
        sumGradientNormalized.AsSpan().Clear();
        for (int j = 0; j < n; j++)
        {
            ReadOnlySpan<T> gColumn = g.AsSpan(j * Features, Features);
            TensorPrimitives.Add(sumGradient, gColumn, sumGradient);
            TensorPrimitives.MultiplyAdd(gColumn, xHat.AsSpan(j * Features, Features), sumGradientNormalized, sumGradientNormalized);
        }

        sumGradientNormalized.CopyTo(gamma.GradientSpan);
        sumGradient.CopyTo(beta.GradientSpan);

        // scratch = γ / (N √(σ² + ε))
        T count = T.CreateChecked(n);
        TensorPrimitives.Multiply(gamma.ValueSpan, inverseStd, scratch);
        TensorPrimitives.Divide(scratch, count, scratch);
        Matrix<T> inputGradient = inputGradients.Get(Features, n);
        T[] dx = DenseStorage.Of(inputGradient, nameof(inputGradient));
        for (int j = 0; j < n; j++)
        {
            Span<T> dxColumn = dx.AsSpan(j * Features, Features);

            // N g − Σg − x̂ Σ(g x̂)
            TensorPrimitives.Multiply(g.AsSpan(j * Features, Features), count, dxColumn);
            TensorPrimitives.Subtract(dxColumn, sumGradient, dxColumn);
            TensorPrimitives.Multiply(xHat.AsSpan(j * Features, Features), sumGradientNormalized, product);
            TensorPrimitives.Subtract(dxColumn, product, dxColumn);
            TensorPrimitives.Multiply(dxColumn, scratch, dxColumn);
        }

        return inputGradient;
    }

    /// <summary>Inference with the running statistics: <c>y = γ (x − μ̄)/√(σ̄² + ε) + β</c>. Thread-safe; changes nothing.</summary>
    /// <inheritdoc />
    public void Predict(Matrix<T> input, Matrix<T> output)
    {
        LayerErrors.CheckInput(Name, Features, input);
        LayerErrors.CheckSameShape(Name, "the output", Features, input.ColumnCount, output, nameof(output));
        T[] x = DenseStorage.Of(input, nameof(input));
        T[] y = DenseStorage.Of(output, nameof(output));

        // y = a x + b with a = γ/√(σ̄² + ε), b = β − μ̄ a; the scratch is rented per call, so concurrent calls share nothing.
        T[] scratch = System.Buffers.ArrayPool<T>.Shared.Rent(2 * Features);
        Span<T> a = scratch.AsSpan(0, Features);
        Span<T> b = scratch.AsSpan(Features, Features);
        TensorPrimitives.Add(runningVariance, T.CreateChecked(Epsilon), a);
        TensorPrimitives.Sqrt(a, a);
        TensorPrimitives.Divide(gamma.ValueSpan, a, a);
        TensorPrimitives.Multiply(runningMean, a, b);
        TensorPrimitives.Subtract(beta.ValueSpan, b, b);
        for (int j = 0; j < input.ColumnCount; j++)
        {
            TensorPrimitives.FusedMultiplyAdd(x.AsSpan(j * Features, Features), a, b, y.AsSpan(j * Features, Features));
        }

        System.Buffers.ArrayPool<T>.Shared.Return(scratch);
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"BatchNorm1d({Features}, {2 * Features:N0} parameters)");

    /// <summary>Builds the layer from its configuration (<c>features</c>, <c>momentum</c>, <c>epsilon</c>).</summary>
    /// <param name="config">The configuration.</param>
    internal static BatchNorm1d<T> FromConfig(LayerConfig config) =>
        new(config.GetInt32("features"), config.GetNumber("momentum"), config.GetNumber("epsilon"));

    /// <summary>
    /// Imports inference-mode ONNX <c>BatchNormalization</c> with 1-D scale, B, mean and var of one length; ONNX's
    /// momentum <c>μ</c> becomes our <c>1 − μ</c>. The one importer of the operator for both batch norms: samples of
    /// shape <c>(C, H, W)</c> flowing in (<see cref="OnnxNode.InputShape"/>) give a <see cref="BatchNorm2d{T}"/>, feature
    /// vectors or an unknown shape a <see cref="BatchNorm1d{T}"/>, and on feature vectors a node with epsilon 0, scale 1
    /// and bias 0 (the form <see cref="Normalization{T}"/> exports) a <see cref="Normalization{T}"/>.
    /// </summary>
    [OnnxImport("BatchNormalization")]
    internal static ILayer<T> FromOnnx(OnnxNode node)
    {
        if (node.GetInt("training_mode", 0) != 0)
        {
            throw node.Error("only inference-mode BatchNormalization (training_mode = 0) is supported");
        }

        if (node.InputCount != 5)
        {
            throw node.Error($"BatchNormalization needs 5 inputs (X, scale, B, mean, var), found {node.InputCount}");
        }

        var vectors = new double[4][];
        for (int i = 0; i < 4; i++)
        {
            (double[] values, long[] dims) = node.GetConstant(i + 1);
            if (dims.Length != 1 || values.Length == 0 || (i > 0 && values.Length != vectors[0].Length))
            {
                throw node.Error($"input {i + 1} has shape [{string.Join(", ", dims)}]; scale, B, mean and var must be 1-D of the same length");
            }

            vectors[i] = values;
        }

        if (node.InputShape is { Rank: not (1 or 3) } shape)
        {
            throw node.Error($"BatchNormalization on samples of shape {shape} is not supported; only feature vectors (BatchNorm1d) and (channels, height, width) images (BatchNorm2d) are");
        }

        double epsilon = node.GetFloat("epsilon", 1e-5);
        if (epsilon == 0 && node.InputShape is not { Rank: 3 } && vectors[0].All(v => v == 1) && vectors[1].All(v => v == 0))
        {
            // What Normalization exports: (x − mean)/√var, with no epsilon, scale or bias.
            return Normalization<T>.FromOnnx(node, vectors[2], vectors[3]);
        }

        // In decimal so ONNX's 0.9 becomes exactly 0.1 again, not 0.09999999999999998.
        double momentum = (double)(1m - (decimal)node.GetFloat("momentum", 0.9));
        ILayer<T> norm = node.InputShape is { Rank: 3 }
            ? new BatchNorm2d<T>(vectors[0].Length, momentum, epsilon)
            : new BatchNorm1d<T>(vectors[0].Length, momentum, epsilon);

        // Both keep γ, β as parameters and the running mean and variance as buffers, in that order.
        Fill(norm.Parameters[0].ValueSpan, vectors[0]);
        Fill(norm.Parameters[1].ValueSpan, vectors[1]);
        Fill(norm.Buffers[0].Values.Span, vectors[2]);
        Fill(norm.Buffers[1].Values.Span, vectors[3]);
        string? violation = norm.Buffers[1].FindViolation();
        return violation is null ? norm : throw node.Error(violation);

        static void Fill(Span<T> target, double[] values)
        {
            for (int f = 0; f < values.Length; f++)
            {
                target[f] = T.CreateChecked(values[f]);
            }
        }
    }

    private void UpdateRunningStatistics(int n)
    {
        T m = T.CreateChecked(Momentum);
        T keep = T.CreateChecked(1 - Momentum);
        T unbiased = T.CreateChecked(n / (double)(n - 1));
        for (int i = 0; i < Features; i++)
        {
            runningMean[i] = (keep * runningMean[i]) + (m * mean[i]);
            runningVariance[i] = (keep * runningVariance[i]) + (m * variance[i] * unbiased);
        }
    }
}
