using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Layers;

namespace NeuralNet.Tests.Layers;

/// <summary>
/// A user's own layer, defined outside the library: <c>y = s ⊙ x</c> with a learned per-feature scale <c>s</c>, plus a
/// buffer counting training passes. Registered with <see cref="LayerRegistry.Register(Type)"/>, it saves, loads,
/// checkpoints and exports (ONNX <c>Mul</c>) like the library's layers.
/// </summary>
[LayerKind("test_scale")]
public sealed class ScaleLayer<T> : ILayer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Parameter<T> scale;
    private readonly T[] passes = new T[1];
    private Matrix<T>? input;
    private Matrix<T>? output;
    private Matrix<T>? inputGradient;

    public ScaleLayer(int features)
    {
        scale = new Parameter<T>("scale", features, 1);
        scale.ValueSpan.Fill(T.One);
        Features = features;
        Parameters = [scale];
        Buffers = [LayerBuffer<T>.Statistics("passes", passes, LayerBufferRule.FiniteNonNegative)];
    }

    public int Features { get; }

    public string Name => $"Scale({Features})";

    public Shape? InputShape => Shape.Vector(Features);

    public IReadOnlyList<Parameter<T>> Parameters { get; }

    public IReadOnlyList<LayerBuffer<T>> Buffers { get; }

    /// <summary>How many training forward passes the layer has run (state that must survive save and resume).</summary>
    public T Passes => passes[0];

    public Shape GetOutputShape(Shape inputShape) =>
        inputShape == InputShape ? inputShape : throw new ArgumentException($"{Name}: expects ({Features}), got {inputShape}.", nameof(inputShape));

    public LayerConfig GetConfig() => new LayerConfig("test_scale").With("features", (long)Features);

    public OnnxForm ToOnnx() => OnnxForm.Operator("Mul")
        .WithInitializer("scale", [Features], [.. scale.ValueSpan.ToArray().Select(double.CreateChecked)]);

    public static ScaleLayer<T> FromConfig(LayerConfig config) => new(config.GetInt32("features"));

    [OnnxImport("Mul")]
    public static ScaleLayer<T> FromOnnx(OnnxNode node)
    {
        (double[] values, long[] dimensions) = node.GetConstant(1);
        if (dimensions.Length != 1)
        {
            throw node.Error("the scale must be 1-D");
        }

        var layer = new ScaleLayer<T>(values.Length);
        for (int i = 0; i < values.Length; i++)
        {
            layer.scale.ValueSpan[i] = T.CreateChecked(values[i]);
        }

        return layer;
    }

    public Matrix<T> Forward(Matrix<T> x)
    {
        input = x;
        if (output is null || output.ColumnCount != x.ColumnCount)
        {
            output = Matrix<T>.Build.Dense(x.RowCount, x.ColumnCount);
        }

        Predict(x, output);
        passes[0]++;
        return output;
    }

    public Matrix<T> Backward(Matrix<T> g)
    {
        Matrix<T> x = input ?? throw new InvalidOperationException("Backward before Forward.");
        if (inputGradient is null || inputGradient.ColumnCount != x.ColumnCount)
        {
            inputGradient = Matrix<T>.Build.Dense(x.RowCount, x.ColumnCount);
        }

        scale.GradientSpan.Clear();
        for (int j = 0; j < x.ColumnCount; j++)
        {
            for (int i = 0; i < Features; i++)
            {
                scale.GradientSpan[i] += g[i, j] * x[i, j];
                inputGradient[i, j] = scale.ValueSpan[i] * g[i, j];
            }
        }

        return inputGradient;
    }

    public void Predict(Matrix<T> x, Matrix<T> y)
    {
        for (int j = 0; j < x.ColumnCount; j++)
        {
            for (int i = 0; i < Features; i++)
            {
                y[i, j] = scale.ValueSpan[i] * x[i, j];
            }
        }
    }
}
