using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Text;
using Google.Protobuf;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Layers;
using NeuralNet.Serialization;
using Onnx;

namespace NeuralNet.Onnx;

/// <summary>
/// Reads an ONNX model made of the subset <see cref="OnnxExporter"/> writes — a single chain of Gemm (or MatMul
/// followed by Add), Relu, LeakyRelu, Sigmoid, Tanh, Identity, Elu, Softplus, Gelu, Softmax over the last axis, plus
/// Dropout and Flatten(axis 1), which do nothing at inference and add no layer — with weights as float or double initializers
/// (or Constant nodes), such as PyTorch exports of an MLP.
/// </summary>
internal static class OnnxImporter
{
    public static Network<T> Import<T>(string path)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ModelProto model;
        using (FileStream stream = File.OpenRead(path))
        {
            try
            {
                model = ModelProto.Parser.ParseFrom(stream);
            }
            catch (InvalidProtocolBufferException e)
            {
                throw new ModelFormatException($"{path}: not a valid ONNX model ({e.Message}).", e);
            }
        }

        return Import<T>(model, path);
    }

    public static Network<T> Import<T>(ModelProto model, string source)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        try
        {
            return Convert<T>(model, source);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or ArithmeticException or KeyNotFoundException or IndexOutOfRangeException)
        {
            // Whatever a crafted graph trips over (duplicate names, a layer refusing a setting, an overflowing shape),
            // the caller gets the one documented exception for bad content.
            throw new ModelFormatException($"{source}: the ONNX graph cannot be converted: {e.Message}", e);
        }
    }

    private static Network<T> Convert<T>(ModelProto model, string source)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        GraphProto graph = model.Graph ?? throw new ModelFormatException($"{source}: the ONNX model has no graph.");
        var constants = graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
        string[] inputs = [.. graph.Input.Select(i => i.Name).Where(n => !constants.ContainsKey(n))];
        if (inputs.Length != 1 || graph.Output.Count != 1)
        {
            throw new ModelFormatException($"{source}: expected one data input and one output, found inputs [{string.Join(", ", inputs)}] and {graph.Output.Count} outputs.");
        }

        var layers = new List<ILayer<T>>();
        string current = inputs[0];
        for (int n = 0; n < graph.Node.Count; n++)
        {
            NodeProto node = graph.Node[n];
            string where = $"{source}: node {n} ({node.OpType} '{node.Name}')";
            if (node.OpType == "Constant")
            {
                TensorProto value = node.Attribute.FirstOrDefault(a => a.Name == "value")?.T
                    ?? throw new ModelFormatException($"{where}: only tensor-valued Constant nodes are supported.");
                constants[node.Output.Single()] = value;
                continue;
            }

            if (node.Input.Count == 0 || node.Input[0] != current || node.Output.Count < 1)
            {
                throw new ModelFormatException($"{where}: the graph must be a single chain, but this node reads '{(node.Input.Count > 0 ? node.Input[0] : "nothing")}' instead of '{current}'.");
            }

            ILayer<T>? layer = node.OpType switch
            {
                "Gemm" => Gemm<T>(node, constants, where),
                "MatMul" => MatMulAdd<T>(node, graph, ref n, constants, where),
                "Relu" => new ReLU<T>(),
                "LeakyRelu" => new LeakyReLU<T>(Float(node, "alpha", 0.01f)),
                "Sigmoid" => new Sigmoid<T>(),
                "Tanh" => new Tanh<T>(),
                "Identity" => new Identity<T>(),
                "Dropout" => null,
                "Flatten" when Int(node, "axis", 1) == 1 => null,
                "Elu" => new Elu<T>(Float(node, "alpha", 1f)),
                "Softplus" => new Softplus<T>(),
                "Gelu" when Text(node, "approximate", "none") == "none" => new Gelu<T>(),
                "Softmax" when Int(node, "axis", -1) is -1 or 1 => new Softmax<T>(),
                "BatchNormalization" when Int(node, "training_mode", 0) == 0 => BatchNormalization<T>(node, constants, where),
                _ => throw new ModelFormatException($"{where}: this operator (with these attributes) has no NeuralNet layer; supported: Gemm, MatMul+Add, Relu, LeakyRelu, Sigmoid, Tanh, Identity, Dropout, Flatten(axis 1), Elu, Softplus, Gelu (exact), Softmax (last axis), BatchNormalization (inference)."),
            };
            if (layer is not null)
            {
                layers.Add(layer);
            }

            current = graph.Node[n].Output[0];
        }

        if (current != graph.Output[0].Name)
        {
            throw new ModelFormatException($"{source}: the chain ends in '{current}', not in the graph output '{graph.Output[0].Name}'.");
        }

        if (layers.Count == 0)
        {
            layers.Add(new Identity<T>());
        }

        try
        {
            return new Network<T>(layers);
        }
        catch (ArgumentException e)
        {
            throw new ModelFormatException($"{source}: the layers do not fit together: {e.Message}", e);
        }
    }

    private static Linear<T> Gemm<T>(NodeProto node, Dictionary<string, TensorProto> constants, string where)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (Int(node, "transA", 0) != 0 || Float(node, "alpha", 1f) != 1 || Float(node, "beta", 1f) != 1)
        {
            throw new ModelFormatException($"{where}: only Gemm with transA = 0, alpha = 1 and beta = 1 is supported.");
        }

        bool transposed = Int(node, "transB", 0) != 0;
        (double[] b, long[] dims) = Constant(node, 1, constants, where);
        Matrix<T> weights = Weights<T>(b, dims, transposed, where);
        MathNet.Numerics.LinearAlgebra.Vector<T> bias = node.Input.Count > 2 && node.Input[2].Length > 0
            ? Bias<T>(Constant(node, 2, constants, where), weights.RowCount, where)
            : MathNet.Numerics.LinearAlgebra.Vector<T>.Build.Dense(weights.RowCount);
        return new Linear<T>(weights, bias);
    }

    /// <summary>Inference-mode BatchNormalization on <c>[batch, features]</c>; ONNX's momentum <c>μ</c> is our <c>1 − μ</c>.</summary>
    private static BatchNorm1d<T> BatchNormalization<T>(NodeProto node, Dictionary<string, TensorProto> constants, string where)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (node.Input.Count != 5)
        {
            throw new ModelFormatException($"{where}: BatchNormalization needs 5 inputs (X, scale, B, mean, var), found {node.Input.Count}.");
        }

        double[][] vectors = new double[4][];
        for (int i = 0; i < 4; i++)
        {
            (double[] values, long[] dims) = Constant(node, i + 1, constants, where);
            if (dims.Length != 1 || (i > 0 && values.Length != vectors[0].Length) || values.Length == 0)
            {
                throw new ModelFormatException($"{where}: input {i + 1} has shape [{string.Join(", ", dims)}]; scale, B, mean and var must be 1-D of the same length.");
            }

            vectors[i] = values;
        }

        double epsilon = Float(node, "epsilon", 1e-5f);
        // In decimal so ONNX's 0.9 becomes exactly 0.1 again, not 0.09999999999999998.
        double momentum = (double)(1m - (decimal)Float(node, "momentum", 0.9f));
        BatchNorm1d<T> norm;
        try
        {
            norm = new BatchNorm1d<T>(vectors[0].Length, momentum, epsilon);
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new ModelFormatException($"{where}: {e.Message}", e);
        }

        if (vectors[3].Any(v => !(v >= 0)))
        {
            throw new ModelFormatException($"{where}: the running variance has a negative or NaN value.");
        }

        Fill(norm.Parameters[0].ValueSpan, vectors[0]);
        Fill(norm.Parameters[1].ValueSpan, vectors[1]);
        Fill(norm.RunningMean, vectors[2]);
        Fill(norm.RunningVariance, vectors[3]);
        return norm;

        static void Fill(Span<T> target, double[] values)
        {
            for (int f = 0; f < values.Length; f++)
            {
                target[f] = T.CreateChecked(values[f]);
            }
        }
    }

    private static Linear<T> MatMulAdd<T>(NodeProto node, GraphProto graph, ref int n, Dictionary<string, TensorProto> constants, string where)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        (double[] values, long[] dims) = Constant(node, 1, constants, where);
        Matrix<T> weights = Weights<T>(values, dims, transposed: false, where);
        if (n + 1 < graph.Node.Count && graph.Node[n + 1].OpType == "Add" && graph.Node[n + 1].Input.Count == 2 && graph.Node[n + 1].Input[0] == node.Output[0])
        {
            n++;
            return new Linear<T>(weights, Bias<T>(Constant(graph.Node[n], 1, constants, where), weights.RowCount, where));
        }

        return new Linear<T>(weights, MathNet.Numerics.LinearAlgebra.Vector<T>.Build.Dense(weights.RowCount));
    }

    /// <summary>ONNX's right-hand matrix is <c>[inputs, outputs]</c> (or <c>[outputs, inputs]</c> when transposed); ours is <c>outputs × inputs</c>.</summary>
    private static Matrix<T> Weights<T>(double[] values, long[] dims, bool transposed, string where)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (dims.Length != 2 || dims[0] < 1 || dims[1] < 1)
        {
            throw new ModelFormatException($"{where}: the weight initializer must be a 2-D matrix, its shape is [{string.Join(", ", dims)}].");
        }

        int rows = (int)dims[0];
        int columns = (int)dims[1];
        return transposed
            ? Matrix<T>.Build.Dense(rows, columns, (o, i) => T.CreateChecked(values[(o * columns) + i]))
            : Matrix<T>.Build.Dense(columns, rows, (o, i) => T.CreateChecked(values[(i * columns) + o]));
    }

    private static MathNet.Numerics.LinearAlgebra.Vector<T> Bias<T>((double[] Values, long[] Dims) bias, int outputs, string where)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (bias.Values.Length != outputs || bias.Dims.Count(d => d != 1) > 1)
        {
            throw new ModelFormatException($"{where}: the bias has shape [{string.Join(", ", bias.Dims)}], expected [{outputs}].");
        }

        return MathNet.Numerics.LinearAlgebra.Vector<T>.Build.Dense(outputs, o => T.CreateChecked(bias.Values[o]));
    }

    private static (double[] Values, long[] Dims) Constant(NodeProto node, int input, Dictionary<string, TensorProto> constants, string where)
    {
        if (node.Input.Count <= input || !constants.TryGetValue(node.Input[input], out TensorProto? tensor))
        {
            throw new ModelFormatException($"{where}: input {input} must be an initializer or Constant (trained weights), not a computed value.");
        }

        long[] dims = [.. tensor.Dims];
        long count = dims.Aggregate(1L, (a, d) => a < 0 || d < 0 ? -1 : checked(a * d));
        if (count is < 0 or > int.MaxValue / 8)
        {
            throw new ModelFormatException($"{where}: initializer '{tensor.Name}' has an invalid shape [{string.Join(", ", dims)}].");
        }

        double[] values = (TensorProto.Types.DataType)tensor.DataType switch
        {
            TensorProto.Types.DataType.Float when tensor.RawData.Length > 0 => Raw(tensor, count, 4, b => BinaryPrimitives.ReadSingleLittleEndian(b)),
            TensorProto.Types.DataType.Float => [.. tensor.FloatData.Select(v => (double)v)],
            TensorProto.Types.DataType.Double when tensor.RawData.Length > 0 => Raw(tensor, count, 8, BinaryPrimitives.ReadDoubleLittleEndian),
            TensorProto.Types.DataType.Double => [.. tensor.DoubleData],
            _ => throw new ModelFormatException($"{where}: initializer '{tensor.Name}' has data type {tensor.DataType}; only float and double are supported."),
        };
        if (values.Length != count)
        {
            throw new ModelFormatException($"{where}: initializer '{tensor.Name}' holds {values.Length} values but its shape [{string.Join(", ", dims)}] needs {count}.");
        }

        int bad = Array.FindIndex(values, v => !double.IsFinite(v));
        return bad < 0
            ? (values, dims)
            : throw new ModelFormatException($"{where}: initializer '{tensor.Name}' holds {values[bad]} at index {bad}; weights must be finite.");
    }

    private static double[] Raw(TensorProto tensor, long count, int width, Func<ReadOnlySpan<byte>, double> read)
    {
        ReadOnlySpan<byte> bytes = tensor.RawData.Span;
        if (bytes.Length != count * width)
        {
            return [];
        }

        var values = new double[count];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = read(bytes.Slice(i * width, width));
        }

        return values;
    }

    /// <summary>
    /// A float attribute as the double it was meant to be: the shortest decimal that rounds to the float
    /// (an exported slope of 0.137 comes back as 0.137, not 0.136999994516).
    /// </summary>
    private static double Float(NodeProto node, string name, float fallback)
    {
        float value = node.Attribute.FirstOrDefault(a => a.Name == name) is { } a ? a.F : fallback;
        return double.Parse(value.ToString("R", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    }

    private static long Int(NodeProto node, string name, long fallback) =>
        node.Attribute.FirstOrDefault(a => a.Name == name) is { } a ? a.I : fallback;

    private static string Text(NodeProto node, string name, string fallback) =>
        node.Attribute.FirstOrDefault(a => a.Name == name) is { } a ? Encoding.UTF8.GetString(a.S.Span) : fallback;
}
