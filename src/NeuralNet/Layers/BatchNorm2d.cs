using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Compute;

namespace NeuralNet.Layers;

/// <summary>
/// Batch normalization of images, per channel (Ioffe and Szegedy, 2015; PyTorch's <c>nn.BatchNorm2d</c>):
/// <c>y_bchw = γ_c · (x_bchw − μ_c) / √(σ_c² + ε) + β_c</c>, where in training <c>μ_c</c> and <c>σ_c²</c> are the mean and
/// the biased variance of channel <c>c</c> over the <c>n = N·H·W</c> values of the batch's <c>N</c> samples, and at
/// inference the running estimates.
/// </summary>
/// <remarks>
/// <para>
/// Shapes: input and output samples <c>(channels, height, width)</c>, each filling its column in row-major order (one
/// sample of PyTorch's NCHW); <c>γ</c> ("weight", starts at 1) and <c>β</c> ("bias", starts at 0) are
/// <c>channels × 1</c>. A network gives the layer its input shape (<see cref="Connect"/>); the statistics need only the
/// <c>H·W</c> values of each channel plane, so a layer not yet connected takes any input whose row count is a multiple
/// of the channels.
/// </para>
/// <para>
/// Running statistics: every training <see cref="Forward"/> updates <c>μ̄ ← (1 − m)·μ̄ + m·μ</c> and
/// <c>σ̄² ← (1 − m)·σ̄² + m·σ²·n/(n − 1)</c> (the unbiased batch variance, as PyTorch), starting from 0 and 1.
/// <see cref="Predict"/> uses only these, so it is deterministic, independent of the batch, and thread-safe.
/// </para>
/// <para>
/// Backward with <c>x̂ = (x − μ)/√(σ² + ε)</c> and <c>g = ∂L/∂y</c>, sums over the channel's <c>n</c> values:
/// <c>∂L/∂γ_c = Σ g x̂</c>, <c>∂L/∂β_c = Σ g</c>, <c>∂L/∂x = γ_c / (n √(σ_c² + ε)) · (n g − Σ g − x̂ Σ g x̂)</c>.
/// </para>
/// <para>
/// Batch size: training needs <c>n = N·H·W ≥ 2</c> values per channel, as PyTorch. With images (<c>H·W ≥ 2</c>) a batch
/// of one sample is fine, so the layer does not report <see cref="LayerTraits.UsesBatchStatistics"/> and the trainer
/// keeps a last batch of 1; only when connected to <c>1 × 1</c> planes does it report the trait, and the trainer then
/// refuses a last batch of 1 before training, as for <see cref="BatchNorm1d{T}"/>.
/// </para>
/// </remarks>
/// <typeparam name="T">Element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
[LayerKind("batch_norm_2d")]
public sealed class BatchNorm2d<T> : ILayer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Parameter<T> gamma;
    private readonly Parameter<T> beta;
    private readonly T[] runningMean;
    private readonly T[] runningVariance;
    private readonly T[] mean;
    private readonly T[] variance;
    private readonly T[] inverseStd;
    private readonly MatrixCache<T> normalizedCache = new();
    private readonly MatrixCache<T> outputs = new();
    private readonly MatrixCache<T> inputGradients = new();
    private Matrix<T>? lastNormalized;
    private Shape? connected;

    /// <summary>Creates the layer with <c>γ = 1</c>, <c>β = 0</c>, running mean 0 and running variance 1.</summary>
    /// <param name="channels">Number of channels <c>C</c> of the input samples <c>(C, H, W)</c>.</param>
    /// <param name="momentum">Weight <c>m</c> of the new batch in the running statistics, in (0, 1]. Default 0.1.</param>
    /// <param name="epsilon">Added to the variance before the square root; finite and &gt; 0. Default 1e-5.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public BatchNorm2d(int channels, double momentum = 0.1, double epsilon = 1e-5)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        if (channels > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(channels), channels, $"BatchNorm2d: {channels:N0} channels are more than an array holds ({Array.MaxLength:N0}).");
        }

        if (!(momentum > 0 && momentum <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(momentum), momentum, $"BatchNorm2d: the momentum must be in (0, 1], got {momentum}.");
        }

        if (!(epsilon > 0) || !double.IsFinite(epsilon))
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, $"BatchNorm2d: epsilon must be finite and positive, got {epsilon}.");
        }

        Channels = channels;
        Momentum = momentum;
        Epsilon = epsilon;
        Name = string.Create(CultureInfo.InvariantCulture, $"BatchNorm2d({channels})");
        gamma = new Parameter<T>("weight", channels, 1);
        beta = new Parameter<T>("bias", channels, 1);
        gamma.ValueSpan.Fill(T.One);
        Parameters = [gamma, beta];
        runningMean = new T[channels];
        runningVariance = new T[channels];
        runningVariance.AsSpan().Fill(T.One);
        Buffers =
        [
            LayerBuffer<T>.Statistics("running_mean", runningMean),
            LayerBuffer<T>.Statistics("running_var", runningVariance, LayerBufferRule.FiniteNonNegative),
        ];
        mean = new T[channels];
        variance = new T[channels];
        inverseStd = new T[channels];
    }

    /// <summary>Number of channels normalized.</summary>
    public int Channels { get; }

    /// <summary>Weight <c>m</c> of each new batch in the running statistics.</summary>
    public double Momentum { get; }

    /// <summary>The <c>ε</c> added to the variance.</summary>
    public double Epsilon { get; }

    /// <summary>The running mean <c>μ̄</c> per channel used by <see cref="Predict"/> (a live view; writes change the layer).</summary>
    public Span<T> RunningMean => runningMean;

    /// <summary>The running variance <c>σ̄²</c> per channel used by <see cref="Predict"/> (a live view; writes change the layer).</summary>
    public Span<T> RunningVariance => runningVariance;

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>Any <c>(channels, height, width)</c>: the network passes the shape to <see cref="Connect"/>.</summary>
    /// <inheritdoc />
    public Shape? InputShape => null;

    /// <inheritdoc />
    public IReadOnlyList<Parameter<T>> Parameters { get; }

    /// <summary><c>running_mean</c> and <c>running_var</c> (PyTorch's names), used by <see cref="Predict"/>.</summary>
    /// <inheritdoc />
    public IReadOnlyList<LayerBuffer<T>> Buffers { get; }

    /// <summary>
    /// <see cref="LayerTraits.UsesBatchStatistics"/> only when connected to <c>1 × 1</c> planes, where a batch of one
    /// sample leaves one value per channel; otherwise none (a batch of one image has <c>H·W ≥ 2</c> values per channel).
    /// </summary>
    /// <inheritdoc />
    public LayerTraits Traits => connected is { } shape && shape[1] * shape[2] == 1 ? LayerTraits.UsesBatchStatistics : LayerTraits.None;

    /// <summary>A shape <c>(channels, height, width)</c> with this layer's channels, unchanged.</summary>
    /// <inheritdoc />
    public Shape GetOutputShape(Shape inputShape)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        if (inputShape.Rank != 3 || inputShape[0] != Channels)
        {
            string hint = inputShape.Rank == 1 ? " (BatchNorm1d normalizes feature vectors)" : string.Empty;
            throw LayerErrors.WrongShape(Name, $"shape ({Channels}, height, width){hint}", inputShape);
        }

        return inputShape;
    }

    /// <summary>Records the height and width; a layer connected once refuses another shape.</summary>
    /// <inheritdoc />
    public Shape Connect(Shape inputShape)
    {
        Shape output = GetOutputShape(inputShape);
        if (connected is not null && connected != inputShape)
        {
            throw new ArgumentException(
                $"{Name}: already connected to input samples of shape {connected}; it cannot also take {inputShape}. Use a new layer.",
                nameof(inputShape));
        }

        connected = inputShape;
        return output;
    }

    /// <inheritdoc />
    public LayerConfig GetConfig() =>
        new LayerConfig("batch_norm_2d").With("channels", Channels).With("momentum", Momentum).With("epsilon", Epsilon);

    /// <summary>
    /// Inference-mode ONNX <c>BatchNormalization(X, scale = γ, B = β, mean, var)</c> on <c>[batch, channels, height, width]</c>,
    /// each of length <c>channels</c>. ONNX's momentum weighs the old running value, ours the new batch: <c>1 − m</c>.
    /// </summary>
    /// <inheritdoc />
    public OnnxForm ToOnnx()
    {
        long[] dims = [Channels];
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
    /// <exception cref="ArgumentException">The input does not fit, or holds a single value per channel (its variance is undefined).</exception>
    public Matrix<T> Forward(Matrix<T> input)
    {
        int plane = PlaneSize(input, nameof(input));
        int rows = input.RowCount;
        int batch = input.ColumnCount;
        long count = (long)batch * plane;
        if (count < 2)
        {
            throw new ArgumentException(
                $"{Name}: training needs at least 2 values per channel (batch × height × width) to estimate a variance, got {LayerErrors.Shape(input)} with planes of {plane}.",
                nameof(input));
        }

        T[] x = DenseStorage.Of(input, nameof(input));
        Matrix<T> normalized = normalizedCache.Get(rows, batch);
        T[] xHat = DenseStorage.Of(normalized, nameof(normalized));
        Matrix<T> output = outputs.Get(rows, batch);
        T[] y = DenseStorage.Of(output, nameof(output));
        T n = T.CreateChecked(count);
        T epsilon = T.CreateChecked(Epsilon);
        for (int c = 0; c < Channels; c++)
        {
            T sum = T.Zero;
            for (int j = 0; j < batch; j++)
            {
                sum += TensorPrimitives.Sum<T>(x.AsSpan((j * rows) + (c * plane), plane));
            }

            T mu = sum / n;
            T squares = T.Zero;
            for (int j = 0; j < batch; j++)
            {
                int start = (j * rows) + (c * plane);
                Span<T> centred = xHat.AsSpan(start, plane);
                TensorPrimitives.Subtract(x.AsSpan(start, plane), mu, centred);
                squares += TensorPrimitives.SumOfSquares<T>(centred);
            }

            T sigma2 = squares / n;
            T inverse = T.One / T.Sqrt(sigma2 + epsilon);
            mean[c] = mu;
            variance[c] = sigma2;
            inverseStd[c] = inverse;
            T scale = gamma.ValueSpan[c];
            T shift = beta.ValueSpan[c];
            for (int j = 0; j < batch; j++)
            {
                int start = (j * rows) + (c * plane);
                Span<T> column = xHat.AsSpan(start, plane);
                TensorPrimitives.Multiply(column, inverse, column);
                Span<T> target = y.AsSpan(start, plane);
                TensorPrimitives.Multiply(column, scale, target);
                TensorPrimitives.Add(target, shift, target);
            }
        }

        UpdateRunningStatistics(count);
        lastNormalized = normalized;
        return output;
    }

    /// <inheritdoc />
    public Matrix<T> Backward(Matrix<T> outputGradient)
    {
        Matrix<T> normalized = lastNormalized ?? throw LayerErrors.BackwardBeforeForward(Name);
        int rows = normalized.RowCount;
        int batch = normalized.ColumnCount;
        int plane = rows / Channels;
        LayerErrors.CheckSameShape(Name, "the output gradient", rows, batch, outputGradient, nameof(outputGradient));
        T[] g = DenseStorage.Of(outputGradient, nameof(outputGradient));
        T[] xHat = DenseStorage.Of(normalized, nameof(normalized));
        Matrix<T> inputGradient = inputGradients.Get(rows, batch);
        T[] dx = DenseStorage.Of(inputGradient, nameof(inputGradient));
        T n = T.CreateChecked((long)batch * plane);
        Span<T> gammaGradient = gamma.GradientSpan;
        Span<T> betaGradient = beta.GradientSpan;
        for (int c = 0; c < Channels; c++)
        {
            T sumGradient = T.Zero;
            T sumGradientNormalized = T.Zero;
            for (int j = 0; j < batch; j++)
            {
                int start = (j * rows) + (c * plane);
                ReadOnlySpan<T> gPlane = g.AsSpan(start, plane);
                sumGradient += TensorPrimitives.Sum(gPlane);
                sumGradientNormalized += TensorPrimitives.Dot(gPlane, xHat.AsSpan(start, plane));
            }

            gammaGradient[c] = sumGradientNormalized;
            betaGradient[c] = sumGradient;

            // ∂L/∂x = s (n g − Σg − x̂ Σ(g x̂)) with s = γ / (n √(σ² + ε)), as a g + b + d x̂.
            T s = gamma.ValueSpan[c] * inverseStd[c] / n;
            T a = s * n;
            T b = -s * sumGradient;
            T d = -s * sumGradientNormalized;
            for (int j = 0; j < batch; j++)
            {
                int start = (j * rows) + (c * plane);
                Span<T> target = dx.AsSpan(start, plane);
                TensorPrimitives.Multiply(g.AsSpan(start, plane), a, target);
                TensorPrimitives.Add(target, b, target);
                TensorPrimitives.MultiplyAdd(xHat.AsSpan(start, plane), d, target, target);
            }
        }

        return inputGradient;
    }

    /// <summary>Inference with the running statistics: <c>y = γ (x − μ̄)/√(σ̄² + ε) + β</c>. Thread-safe; changes nothing.</summary>
    /// <inheritdoc />
    public void Predict(Matrix<T> input, Matrix<T> output)
    {
        int plane = PlaneSize(input, nameof(input));
        int rows = input.RowCount;
        LayerErrors.CheckSameShape(Name, "the output", rows, input.ColumnCount, output, nameof(output));
        T[] x = DenseStorage.Of(input, nameof(input));
        T[] y = DenseStorage.Of(output, nameof(output));
        T epsilon = T.CreateChecked(Epsilon);
        for (int c = 0; c < Channels; c++)
        {
            // y = a x + b with a = γ/√(σ̄² + ε), b = β − μ̄ a; scalars on the stack, so concurrent calls share nothing.
            T a = gamma.ValueSpan[c] / T.Sqrt(runningVariance[c] + epsilon);
            T b = beta.ValueSpan[c] - (runningMean[c] * a);
            for (int j = 0; j < input.ColumnCount; j++)
            {
                int start = (j * rows) + (c * plane);
                Span<T> target = y.AsSpan(start, plane);
                TensorPrimitives.Multiply(x.AsSpan(start, plane), a, target);
                TensorPrimitives.Add(target, b, target);
            }
        }
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"BatchNorm2d({Channels}, {2 * Channels:N0} parameters)");

    /// <summary>Builds the layer from its configuration (<c>channels</c>, <c>momentum</c>, <c>epsilon</c>).</summary>
    /// <param name="config">The configuration.</param>
    internal static BatchNorm2d<T> FromConfig(LayerConfig config) =>
        new(config.GetInt32("channels"), config.GetNumber("momentum"), config.GetNumber("epsilon"));

    /// <summary>
    /// The values per channel plane (<c>H·W</c>) of a <c>C·H·W × batch</c> input: from the connected shape, or from the
    /// row count when the layer is not connected yet.
    /// </summary>
    private int PlaneSize(Matrix<T> input, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(input, parameterName);
        if (connected is { } shape)
        {
            if (input.RowCount != shape.Size)
            {
                throw new ArgumentException(
                    $"{Name}: expected an input of {shape.Size} features (samples of shape {shape}) × batch, got {LayerErrors.Shape(input)}.",
                    parameterName);
            }
        }
        else if (input.RowCount % Channels != 0)
        {
            throw new ArgumentException(
                $"{Name}: expected an input of channels × height × width features × batch, a multiple of {Channels} rows, got {LayerErrors.Shape(input)}.",
                parameterName);
        }

        LayerErrors.CheckInput(Name, null, input);
        return input.RowCount / Channels;
    }

    private void UpdateRunningStatistics(long n)
    {
        T m = T.CreateChecked(Momentum);
        T keep = T.CreateChecked(1 - Momentum);
        T unbiased = T.CreateChecked(n / (double)(n - 1));
        for (int c = 0; c < Channels; c++)
        {
            runningMean[c] = (keep * runningMean[c]) + (m * mean[c]);
            runningVariance[c] = (keep * runningVariance[c]) + (m * variance[c] * unbiased);
        }
    }
}
