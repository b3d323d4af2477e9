using System.Numerics;
using Google.Protobuf;
using NeuralNet.Layers;
using NeuralNet.Onnx;
using NeuralNet.Serialization;
using NeuralNet.Tests.Serialization;
using Onnx;
using AttributeType = Onnx.AttributeProto.Types.AttributeType;
using DataType = Onnx.TensorProto.Types.DataType;

namespace NeuralNet.Tests.Onnx;

/// <summary>
/// Seeded edits of exported ONNX models of every exportable layer kind (as Gemm or as MatMul + Add, with weights as
/// initializers or Constant nodes): initializer dims, data types, raw-data lengths; node operators, inputs, outputs and
/// attributes (their types and values); graph inputs and outputs and their declared types and shapes; node order; and
/// the serialized bytes themselves. Importing the edited file must give a network or throw
/// <see cref="ModelFormatException"/> and nothing else, within <see cref="AllocationBudget"/> bytes of allocation; an edit
/// that makes the model invalid by the ONNX specification (an attribute of the wrong type, a tensor whose data does not
/// fill its shape, a declared input or output that disagrees with the layers) must be refused.
/// </summary>
public sealed class OnnxImportFuzzTests : IDisposable
{
    private const long AllocationBudget = 4_000_000;

    /// <summary>What the importer reads, by operator, with the ONNX type each attribute must have.</summary>
    private static readonly Dictionary<string, (string Name, AttributeType Type)[]> ReadAttributes = new()
    {
        ["Gemm"] = [("transA", AttributeType.Int), ("transB", AttributeType.Int), ("alpha", AttributeType.Float), ("beta", AttributeType.Float)],
        ["LeakyRelu"] = [("alpha", AttributeType.Float)],
        ["Elu"] = [("alpha", AttributeType.Float)],
        ["HardSigmoid"] = [("alpha", AttributeType.Float), ("beta", AttributeType.Float)],
        ["Softmax"] = [("axis", AttributeType.Int)],
        ["Flatten"] = [("axis", AttributeType.Int)],
        ["BatchNormalization"] = [("epsilon", AttributeType.Float), ("momentum", AttributeType.Float), ("training_mode", AttributeType.Int)],
        ["Gelu"] = [("approximate", AttributeType.String)],
    };

    /// <summary>The most inputs each operator takes (ONNX operator specifications).</summary>
    private static readonly Dictionary<string, int> MaxInputs = new()
    {
        ["Gemm"] = 3, ["MatMul"] = 2, ["Add"] = 2, ["Dropout"] = 3, ["BatchNormalization"] = 5,
    };

    private readonly string directory = Directory.CreateTempSubdirectory("nnet-onnx-fuzz-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact(Timeout = 120_000)]
    public async Task ImportOnnx_EditedModels_GiveANetworkOrModelFormatException() => await Task.Run(() =>
    {
        var random = new Random(41);
        var failures = new List<string>();
        int imported = 0, refused = 0;
        string path = Path.Combine(directory, "edited.onnx");
        for (int trial = 0; trial < 1000 && failures.Count < 20; trial++)
        {
            ModelProto model = ExportedModel(random, trial);
            (bool mustReject, string edit) = Edit(model, random);
            byte[] bytes = model.ToByteArray();
            if (random.Next(10) == 0)
            {
                // Damage to the serialized bytes themselves: a flipped bit or a cut.
                bytes = random.Next(2) == 0 ? bytes[..random.Next(bytes.Length)] : FlipBit(bytes, random);
                (mustReject, edit) = (false, $"{edit}; then the bytes damaged");
            }

            File.WriteAllBytes(path, bytes);
            string what = $"trial {trial}: {edit}";
            long before = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                Network<float>.ImportOnnx(path);
                imported++;
                if (mustReject)
                {
                    failures.Add($"{what}: imported, but the model is invalid");
                }
            }
            catch (ModelFormatException)
            {
                refused++;
            }
            catch (Exception e)
            {
                failures.Add($"{what}: {e.GetType().Name}: {e.Message}");
            }

            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            if (allocated > AllocationBudget)
            {
                failures.Add($"{what}: allocated {allocated:N0} bytes for a {bytes.Length:N0}-byte model");
            }
        }

        string.Join(Environment.NewLine, failures).Should().BeEmpty();
        refused.Should().BeGreaterThan(400);
        imported.Should().BeGreaterThan(30, "some edits (a new weight, an attribute removed to its default) are legitimate");
    });

    [Fact(Timeout = 120_000)]
    public async Task ImportOnnx_WhatItAcceptsAfterAnEdit_ComputesWhatOnnxRuntimeComputes() => await Task.Run(() =>
    {
        // The semantic check of the edits that import: ONNX Runtime must accept the same file and agree with Predict.
        var random = new Random(43);
        var failures = new List<string>();
        string path = Path.Combine(directory, "accepted.onnx");
        int compared = 0;
        for (int trial = 0; compared < 150 && trial < 3000; trial++)
        {
            ModelProto model = ExportedModel(random, trial);
            (_, string edit) = Edit(model, random);
            File.WriteAllBytes(path, model.ToByteArray());
            Network<float> network;
            try
            {
                network = Network<float>.ImportOnnx(path);
            }
            catch (ModelFormatException)
            {
                continue;
            }

            compared++;
            int features = network.InputSize ?? AcceptedVectorSize(network);
            var input = MathNet.Numerics.LinearAlgebra.Matrix<float>.Build.Dense(features, 4, (i, j) => (float)Math.Sin((3 * i) + j));
            float[] expected = network.Predict(input).ToColumnMajorArray();
            try
            {
                using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(path);
                int[] dims = [4, .. network.InputShape?.Dimensions ?? [features]];
                var tensor = new Microsoft.ML.OnnxRuntime.Tensors.DenseTensor<float>(input.ToColumnMajorArray(), dims);
                using var results = session.Run([Microsoft.ML.OnnxRuntime.NamedOnnxValue.CreateFromTensor(session.InputMetadata.Keys.Single(), tensor)]);
                float[] actual = results.First().AsTensor<float>().ToArray();
                if (actual.Length != expected.Length || actual.Zip(expected).Any(p => !Close(p.First, p.Second)))
                {
                    failures.Add($"trial {trial}: {edit}: ONNX Runtime computes [{string.Join(", ", actual.Take(6))}…], Predict [{string.Join(", ", expected.Take(6))}…]");
                }
            }
            catch (Microsoft.ML.OnnxRuntime.OnnxRuntimeException e)
            {
                failures.Add($"trial {trial}: {edit}: imported, but ONNX Runtime refuses the file: {e.Message.Split('\n')[0]}");
            }
        }

        string.Join(Environment.NewLine, failures).Should().BeEmpty();
        compared.Should().Be(150);
    });

    [Fact]
    public void ImportOnnx_AnUneditedModelOfEveryForm_Imports()
    {
        var random = new Random(42);
        string path = Path.Combine(directory, "plain.onnx");
        for (int trial = 0; trial < 60; trial++)
        {
            File.WriteAllBytes(path, ExportedModel(random, trial).ToByteArray());

            Network<float>.ImportOnnx(path).Layers.Should().NotBeEmpty($"trial {trial}");
        }
    }

    /// <summary>
    /// The kinds whose export imports: not SiLU (no ONNX form), nor the export-only forms of several nodes (Embedding's
    /// Cast + Gather, PositionalEmbedding's Shape + Slice + Add), whose operators no layer imports.
    /// </summary>
    private static readonly string[] ImportableKinds = [.. RandomNetworks.Configs
        .Where(c => LayerRegistry.Create<float>(c).ToOnnx() is { IsSupported: true } form
            && form.Nodes.All(n => LayerRegistry.OnnxOperators.Contains(n.OperatorType)))
        .Select(c => c.Kind).Distinct().Order(StringComparer.Ordinal)];

    /// <summary>
    /// An exported random network (every importable kind in turn), sometimes rewritten as PyTorch writes linear layers
    /// (MatMul + Add) and with weights as Constant nodes instead of initializers.
    /// </summary>
    /// <summary>
    /// The smallest vector size from 3 up that the layers of a network without a fixed input shape accept (a LayerNorm
    /// first accepts only its feature count).
    /// </summary>
    private static int AcceptedVectorSize(Network<float> network)
    {
        for (int size = 3; ; size++)
        {
            try
            {
                network.Layers.Aggregate(Shape.Vector(size), (shape, layer) => layer.GetOutputShape(shape));
                return size;
            }
            catch (ArgumentException) when (size < 4096)
            {
            }
        }
    }

    private static ModelProto ExportedModel(Random random, int trial)
    {
        string[] kinds = ImportableKinds;
        while (true)
        {
            // Image and matrix inputs are declared with their shape ([batch, C, H, W]); only vector inputs may be left
            // symbolic ([batch, features]), as a rank-2 declaration cannot stand for a rank-4 tensor.
            Network<float> network = RandomNetworks.Create<float>(random, maxLayers: 3, mustHold: kinds[trial % kinds.Length], storeShapedInputs: true);
            ModelProto model;
            try
            {
                model = OnnxExporter.Build(network);
            }
            catch (Exception e) when (e is NotSupportedException or InvalidOperationException)
            {
                continue; // SiLU, or a weight float32 cannot hold
            }

            if (model.Graph.Node.Any(n => !LayerRegistry.OnnxOperators.Contains(n.OpType)))
            {
                continue; // a later layer of an export-only kind
            }

            if (random.Next(3) == 0)
            {
                GemmToMatMulAdd(model.Graph);
            }

            if (random.Next(3) == 0)
            {
                InitializersToConstants(model.Graph);
            }

            return model;
        }
    }

    /// <summary>Gemm(x, Wᵀ, b) with transB = 0 becomes MatMul(x, Wᵀ) then Add(·, b).</summary>
    private static void GemmToMatMulAdd(GraphProto graph)
    {
        for (int n = 0; n < graph.Node.Count; n++)
        {
            NodeProto gemm = graph.Node[n];
            if (gemm.OpType != "Gemm" || gemm.Input.Count != 3)
            {
                continue;
            }

            var matmul = new NodeProto { OpType = "MatMul", Name = $"{gemm.Name}.matmul" };
            matmul.Input.Add([gemm.Input[0], gemm.Input[1]]);
            matmul.Output.Add($"{gemm.Name}.product");
            var add = new NodeProto { OpType = "Add", Name = $"{gemm.Name}.add" };
            add.Input.Add([$"{gemm.Name}.product", gemm.Input[2]]);
            add.Output.Add(gemm.Output);
            graph.Node[n] = matmul;
            graph.Node.Insert(n + 1, add);
        }
    }

    /// <summary>Every initializer becomes a Constant node at the start of the graph.</summary>
    private static void InitializersToConstants(GraphProto graph)
    {
        foreach (TensorProto tensor in graph.Initializer.Reverse())
        {
            var constant = new NodeProto { OpType = "Constant", Name = $"{tensor.Name}.constant" };
            constant.Output.Add(tensor.Name);
            constant.Attribute.Add(new AttributeProto { Name = "value", Type = AttributeType.Tensor, T = tensor });
            graph.Node.Insert(0, constant);
        }

        graph.Initializer.Clear();
    }

    /// <summary>One random edit; returns whether the edited model is certainly invalid.</summary>
    private static (bool MustReject, string Edit) Edit(ModelProto model, Random random)
    {
        GraphProto graph = model.Graph;
        TensorProto[] tensors = [.. graph.Initializer, .. graph.Node.Where(n => n.OpType == "Constant").Select(n => n.Attribute[0].T)];
        NodeProto[] operators = [.. graph.Node.Where(n => n.OpType != "Constant")];
        NodeProto node = operators[random.Next(operators.Length)];
        switch (random.Next(16))
        {
            case 0 when tensors.Length > 0:
            {
                // Dims: another count (the data no longer fills the shape), negative, huge, or the same count reshaped.
                TensorProto tensor = tensors[random.Next(tensors.Length)];
                long count = tensor.Dims.Aggregate(1L, (a, d) => a * d);
                long[] dims = random.Next(6) switch
                {
                    0 => [],
                    1 => [.. tensor.Dims, 2],
                    2 => [.. tensor.Dims.Select(d => d == 1 ? 1 : -d)],
                    3 => [1L << 32, 1L << 32],
                    4 => [.. tensor.Dims.Reverse()],
                    _ => [count + 1],
                };
                long newCount = dims.Aggregate(1L, (a, d) => d < 0 || a < 0 ? -1 : a * d);
                tensor.Dims.Clear();
                tensor.Dims.Add(dims);
                return (newCount != count, $"'{tensor.Name}' dims [{string.Join(", ", dims)}] for {count} values");
            }

            case 1 when tensors.Length > 0:
            {
                TensorProto tensor = tensors[random.Next(tensors.Length)];
                int type = new[] { 0, 2, 6, 7, 10, 11, 16, 99, -1 }[random.Next(9)];
                tensor.DataType = type;
                return (true, $"'{tensor.Name}' data type {type} with float raw data");
            }

            case 2 when tensors.Length > 0:
            {
                // Raw data cut, extended or emptied; or moved into float_data, whole (legitimate) or short.
                TensorProto tensor = tensors[random.Next(tensors.Length)];
                byte[] raw = tensor.RawData.ToByteArray();
                switch (random.Next(4))
                {
                    case 0:
                        int cut = 1 + random.Next(Math.Min(4, Math.Max(1, raw.Length)));
                        tensor.RawData = ByteString.CopyFrom(raw[..Math.Max(0, raw.Length - cut)]);
                        return (raw.Length > 0, $"'{tensor.Name}' raw data {raw.Length} → {Math.Max(0, raw.Length - cut)} bytes");
                    case 1:
                        tensor.RawData = ByteString.CopyFrom([.. raw, 0, 0, 128, 63]);
                        return (true, $"'{tensor.Name}' raw data 4 bytes longer");
                    default:
                        bool whole = random.Next(2) == 0;
                        float[] values = [.. Enumerable.Range(0, raw.Length / 4).Select(i => BitConverter.ToSingle(raw, 4 * i))];
                        tensor.RawData = ByteString.Empty;
                        tensor.FloatData.Add(whole ? values : values.Skip(1));
                        return (!whole && values.Length > 0, $"'{tensor.Name}' as float_data{(whole ? string.Empty : " missing a value")}");
                }
            }

            case 3:
            {
                string[] ops = ["Gemm", "MatMul", "Add", "Relu", "LeakyRelu", "Sigmoid", "Tanh", "Identity", "Elu", "Softplus", "Gelu", "HardSigmoid", "Softmax", "Flatten", "Dropout", "BatchNormalization", "Conv", "relu", "", "Constant"];
                string old = node.OpType;
                node.OpType = ops[random.Next(ops.Length)];
                return (false, $"node '{node.Name}' operator {old} → {node.OpType}");
            }

            case 4:
            {
                // The data input renamed, or removed; a weight input renamed to nothing known, or an input too many.
                switch (random.Next(3))
                {
                    case 0:
                        node.Input[0] = random.Next(2) == 0 ? "nowhere" : string.Empty;
                        return (true, $"node '{node.Name}' reads '{node.Input[0]}'");
                    case 1 when node.Input.Count > 1:
                        node.Input[1] = "missing.weight";
                        return (true, $"node '{node.Name}' weight input renamed");
                    default:
                        bool tooMany = node.Input.Count + 1 > MaxInputs.GetValueOrDefault(node.OpType, 1);
                        node.Input.Add(node.Input.Count > 1 ? node.Input[1] : "extra");
                        return (tooMany, $"node '{node.Name}' ({node.OpType}) gets input {node.Input.Count - 1}");
                }
            }

            case 5:
            {
                switch (random.Next(3))
                {
                    case 0:
                        node.Output.Clear();
                        return (true, $"node '{node.Name}' has no output");
                    case 1:
                        node.Output[0] = "renamed";
                        return (true, $"node '{node.Name}' output renamed");
                    default:
                        node.Output.Add(node.Output[0]);
                        return (true, $"node '{node.Name}' writes its output twice");
                }
            }

            case 6 when ReadAttributes.ContainsKey(node.OpType):
            {
                // An attribute the importer reads, of another type than the specification's, its value fields kept.
                (string name, AttributeType expected) = ReadAttributes[node.OpType][random.Next(ReadAttributes[node.OpType].Length)];
                AttributeProto attribute = node.Attribute.FirstOrDefault(a => a.Name == name) ?? Add(node, name, expected);
                AttributeType[] others = [AttributeType.Float, AttributeType.Int, AttributeType.String, AttributeType.Floats, AttributeType.Ints, AttributeType.Undefined];
                attribute.Type = others[random.Next(others.Length)];
                attribute.I = random.Next(3);
                return (attribute.Type != expected, $"node '{node.Name}' ({node.OpType}) attribute '{name}' of type {attribute.Type}, not {expected}");
            }

            case 7 when ReadAttributes.ContainsKey(node.OpType):
            {
                // A value at the edges: NaN, ±∞, 0, negative, huge, an axis out of range, text that is not UTF-8.
                (string name, AttributeType type) = ReadAttributes[node.OpType][random.Next(ReadAttributes[node.OpType].Length)];
                AttributeProto attribute = node.Attribute.FirstOrDefault(a => a.Name == name) ?? Add(node, name, type);
                attribute.F = new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity, 0f, -1f, 1e30f, float.Epsilon, 0.5f }[random.Next(8)];
                attribute.I = new[] { 0L, 1L, -1L, 2L, 5L, long.MaxValue, long.MinValue }[random.Next(7)];
                attribute.S = ByteString.CopyFrom(random.Next(2) == 0 ? [0xC3, 0x28] : "tanh"u8.ToArray());
                return (false, $"node '{node.Name}' ({node.OpType}) attribute '{name}' = {attribute.F} / {attribute.I}");
            }

            case 8 when node.Attribute.Count > 0:
            {
                AttributeProto attribute = node.Attribute[random.Next(node.Attribute.Count)];
                if (random.Next(2) == 0)
                {
                    node.Attribute.Remove(attribute);
                    return (false, $"node '{node.Name}' attribute '{attribute.Name}' removed (its default applies)");
                }

                node.Attribute.Add(attribute.Clone());
                return (true, $"node '{node.Name}' attribute '{attribute.Name}' given twice");
            }

            case 9:
            {
                // Graph inputs: none, two, renamed, or the data input declared with another element type.
                ValueInfoProto input = graph.Input[0];
                switch (random.Next(4))
                {
                    case 0:
                        graph.Input.Clear();
                        return (true, "no graph input");
                    case 1:
                        graph.Input.Add(new ValueInfoProto { Name = "second", Type = input.Type });
                        return (true, "a second graph input");
                    case 2:
                        input.Name = "renamed";
                        return (true, "graph input renamed");
                    default:
                        int type = new[] { (int)DataType.Int64, (int)DataType.String, (int)DataType.Float16, (int)DataType.Bool }[random.Next(4)];
                        input.Type.TensorType.ElemType = type;
                        return (true, $"graph input declared with element type {type}");
                }
            }

            case 10:
            {
                // A declared feature dimension that disagrees with the layers (the batch dimension is symbolic).
                bool output = random.Next(2) == 0;
                ValueInfoProto info = output ? graph.Output[0] : graph.Input[0];
                TensorShapeProto.Types.Dimension dim = info.Type.TensorType.Shape.Dim[^1];
                if (!dim.HasDimValue)
                {
                    return (false, "no declared feature dimension to change");
                }

                long old = dim.DimValue;
                dim.DimValue = new[] { old + 1, 0, -1, 1L << 40 }[random.Next(4)];

                // One more input column can be valid: layers that take any width (pooling, then a global average pool)
                // still give the declared output; the semantic fuzz test runs such models in ONNX Runtime.
                bool mayFit = !output && dim.DimValue == old + 1;
                return (!mayFit, $"graph {(output ? "output" : "input")} declared with {dim.DimValue} features, not {old}");
            }

            case 11:
            {
                switch (random.Next(3))
                {
                    case 0:
                        graph.Output.Clear();
                        return (true, "no graph output");
                    case 1:
                        graph.Output.Add(new ValueInfoProto { Name = "second" });
                        return (true, "a second graph output");
                    default:
                        graph.Output[0].Name = "renamed";
                        return (true, "graph output renamed");
                }
            }

            case 12 when operators.Length > 1:
            {
                // Two operator nodes swapped, one removed, or one duplicated: the chain breaks.
                int a = graph.Node.IndexOf(operators[random.Next(operators.Length)]);
                switch (random.Next(3))
                {
                    case 0:
                        int b = graph.Node.IndexOf(operators.First(o => graph.Node.IndexOf(o) != a));
                        (graph.Node[a], graph.Node[b]) = (graph.Node[b], graph.Node[a]);
                        return (true, $"nodes {a} and {b} swapped");
                    case 1:
                        graph.Node.RemoveAt(a);
                        return (true, $"node {a} removed");
                    default:
                        graph.Node.Insert(a, graph.Node[a].Clone());
                        return (true, $"node {a} duplicated");
                }
            }

            case 13 when graph.Node.Any(n => n.OpType == "Constant"):
            {
                NodeProto constant = graph.Node.First(n => n.OpType == "Constant");
                switch (random.Next(3))
                {
                    case 0:
                        constant.Attribute.Clear();
                        return (true, "a Constant without its value");
                    case 1:
                        constant.Attribute[0].Name = "value_float";
                        return (true, "a Constant given as value_float");
                    default:
                        constant.Attribute[0].T = null;
                        return (true, "a Constant whose tensor is missing");
                }
            }

            case 14:
            {
                model.Graph = null;
                return (true, "no graph");
            }

            default:
            {
                // A new weight value of any bits: NaN and ±∞ are refused, finite values legitimate.
                if (tensors.Length == 0)
                {
                    return (false, "nothing");
                }

                TensorProto tensor = tensors[random.Next(tensors.Length)];
                byte[] raw = tensor.RawData.ToByteArray();
                if (raw.Length < 4)
                {
                    return (false, "nothing");
                }

                float value = BitConverter.Int32BitsToSingle(random.Next() ^ (random.Next(2) << 31));
                BitConverter.GetBytes(value).CopyTo(raw, 4 * random.Next(raw.Length / 4));
                tensor.RawData = ByteString.CopyFrom(raw);
                return (!float.IsFinite(value), $"'{tensor.Name}' holds {value}");
            }
        }
    }

    /// <summary>Equal within 1e-4 relative (ONNX Runtime's float kernels round differently), or the same infinity, or both NaN.</summary>
    private static bool Close(float actual, float expected) =>
        actual == expected || Math.Abs(actual - expected) <= 1e-4 * Math.Max(1, Math.Abs(expected)) || (float.IsNaN(actual) && float.IsNaN(expected));

    private static AttributeProto Add(NodeProto node, string name, AttributeType type)
    {
        var attribute = new AttributeProto { Name = name, Type = type };
        node.Attribute.Add(attribute);
        return attribute;
    }

    private static byte[] FlipBit(byte[] bytes, Random random)
    {
        byte[] copy = (byte[])bytes.Clone();
        copy[random.Next(copy.Length)] ^= (byte)(1 << random.Next(8));
        return copy;
    }
}
