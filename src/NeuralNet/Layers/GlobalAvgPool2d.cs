using System.Numerics;
using System.Numerics.Tensors;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Compute;

namespace NeuralNet.Layers;

/// <summary>
/// Global average pooling: each channel of a <c>(channels, height, width)</c> sample becomes its mean,
/// <c>y[c, 0, 0] = (1/(H·W)) Σᵢⱼ x[c, i, j]</c>, as PyTorch's <c>nn.AdaptiveAvgPool2d(1)</c>.
/// </summary>
/// <remarks>
/// <para>
/// <b>Shapes.</b> <c>(C, H, W)</c> to <c>(C, 1, 1)</c>, the shape PyTorch's <c>AdaptiveAvgPool2d(1)</c> and ONNX's
/// <c>GlobalAveragePool</c> give. Its <c>C</c> elements are already the feature vector of the sample's column, so a
/// <see cref="Flatten{T}"/> after it (moves no data) lets a <see cref="Linear{T}"/> follow, exactly as PyTorch's
/// <c>AdaptiveAvgPool2d(1)</c> then <c>Flatten()</c>. The layer records its input shape when a network connects it.
/// </para>
/// <para><b>Gradient.</b> <c>∂L/∂x[c, i, j] = ∂L/∂y[c] / (H·W)</c>.</para>
/// <para>ONNX: <c>GlobalAveragePool</c>; imports it.</para>
/// </remarks>
/// <example>
/// <code>
/// var head = new Network&lt;float&gt;(Shape.Of(64, 7, 7),
///     new GlobalAvgPool2d&lt;float&gt;(), new Flatten&lt;float&gt;(), new Linear&lt;float&gt;(64, 10, new Random(1)));
/// </code>
/// </example>
/// <typeparam name="T">Element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
[LayerKind("global_avg_pool_2d")]
public sealed class GlobalAvgPool2d<T> : ILayer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly MatrixCache<T> outputs = new();
    private readonly MatrixCache<T> inputGradients = new();
    private Shape? connected;
    private int channels;
    private int plane;
    private int lastBatch;

    /// <inheritdoc />
    public string Name => "GlobalAvgPool2d";

    /// <summary>Any <c>(channels, height, width)</c>.</summary>
    /// <inheritdoc />
    public Shape? InputShape => null;

    /// <inheritdoc />
    public IReadOnlyList<Parameter<T>> Parameters => [];

    /// <summary><c>(C, H, W)</c> to <c>(C, 1, 1)</c>; refuses another rank.</summary>
    /// <inheritdoc />
    public Shape GetOutputShape(Shape inputShape)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        return inputShape.Rank == 3
            ? Shape.Of(inputShape[0], 1, 1)
            : throw LayerErrors.WrongShape(Name, "shape (channels, height, width)", inputShape);
    }

    /// <summary>Records <c>(C, H, W)</c>; refuses a different shape once connected.</summary>
    /// <inheritdoc />
    public Shape Connect(Shape inputShape)
    {
        Shape output = GetOutputShape(inputShape);
        if (connected is not null)
        {
            return connected == inputShape
                ? output
                : throw new ArgumentException($"{Name}: already connected to input samples of {connected}; it cannot also take {inputShape}. Use a new layer.", nameof(inputShape));
        }

        channels = inputShape[0];
        plane = inputShape[1] * inputShape[2];
        connected = inputShape;
        return output;
    }

    /// <inheritdoc />
    public LayerConfig GetConfig() => new("global_avg_pool_2d");

    /// <summary>ONNX <c>GlobalAveragePool</c>: <c>[N, C, H, W]</c> to <c>[N, C, 1, 1]</c>.</summary>
    /// <inheritdoc />
    public OnnxForm ToOnnx() => OnnxForm.Operator("GlobalAveragePool");

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">The layer has not been connected to an input shape.</exception>
    public Matrix<T> Forward(Matrix<T> input)
    {
        CheckConnected();
        LayerErrors.CheckInput(Name, channels * plane, input);
        Matrix<T> output = outputs.Get(channels, input.ColumnCount);
        Compute(DenseStorage.Of(input, nameof(input)), DenseStorage.Of(output, nameof(output)), input.ColumnCount);
        lastBatch = input.ColumnCount;
        return output;
    }

    /// <summary>Spreads each channel's gradient evenly, <c>1/(H·W)</c> each, over its plane.</summary>
    /// <inheritdoc />
    public Matrix<T> Backward(Matrix<T> outputGradient)
    {
        int batch = lastBatch > 0 ? lastBatch : throw LayerErrors.BackwardBeforeForward(Name);
        LayerErrors.CheckSameShape(Name, "the output gradient", channels, batch, outputGradient, nameof(outputGradient));
        T[] g = DenseStorage.Of(outputGradient, nameof(outputGradient));
        Matrix<T> inputGradient = inputGradients.Get(channels * plane, batch);
        T[] dx = DenseStorage.Of(inputGradient, nameof(inputGradient));
        T count = T.CreateTruncating(plane);
        for (int k = 0; k < channels * batch; k++)
        {
            dx.AsSpan(k * plane, plane).Fill(g[k] / count);
        }

        return inputGradient;
    }

    /// <summary>Stateless channel means. Thread-safe.</summary>
    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">The layer has not been connected to an input shape.</exception>
    public void Predict(Matrix<T> input, Matrix<T> output)
    {
        CheckConnected();
        LayerErrors.CheckInput(Name, channels * plane, input);
        LayerErrors.CheckSameShape(Name, "the output", channels, input.ColumnCount, output, nameof(output));
        if (ReferenceEquals(input, output))
        {
            throw new ArgumentException($"{Name}: the output must not be the input matrix.", nameof(output));
        }

        Compute(DenseStorage.Of(input, nameof(input)), DenseStorage.Of(output, nameof(output)), input.ColumnCount);
    }

    /// <inheritdoc />
    public override string ToString() => Name;

    /// <summary>Builds the layer from its configuration (no settings).</summary>
    /// <param name="config">The configuration.</param>
    internal static GlobalAvgPool2d<T> FromConfig(LayerConfig config) => new();

    /// <summary>Imports ONNX <c>GlobalAveragePool</c>.</summary>
    [OnnxImport("GlobalAveragePool")]
    internal static GlobalAvgPool2d<T> FromOnnx(OnnxNode node) => new();

    private void CheckConnected()
    {
        if (connected is null)
        {
            throw new InvalidOperationException(
                $"{Name}: not connected to an input shape; build a Network with the input shape (e.g. Shape.Of(64, 7, 7)) or call Connect first, since a matrix row count does not tell channels from height and width.");
        }
    }

    /// <summary>Each channel plane of each sample (contiguous: the planes of a column follow each other) to its mean.</summary>
    private void Compute(T[] x, T[] y, int batch)
    {
        T count = T.CreateTruncating(plane);
        for (int k = 0; k < channels * batch; k++)
        {
            y[k] = TensorPrimitives.Sum<T>(x.AsSpan(k * plane, plane)) / count;
        }
    }
}
