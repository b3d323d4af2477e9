using MathNet.Numerics.LinearAlgebra;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using NeuralNet.Layers;
using NeuralNet.Onnx;

namespace NeuralNet.Tests.Onnx;

/// <summary>A sequence network (ids → embedding → positions → layer norm → linear) exported as several nodes per layer and run in ONNX Runtime.</summary>
public sealed class OnnxSequenceExportTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("nnet-onnx-seq-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void TokenNetwork_RunsInOnnxRuntimeLikePredict_WithOpset17()
    {
        var network = new Network<float>(
            Shape.Vector(5),
            new Embedding<float>(9, 4, new Random(1), paddingIndex: 0),
            new PositionalEmbedding<float>(8, 4, new Random(2)),
            new LayerNorm<float>(4),
            new Flatten<float>(),
            new Linear<float>(20, 3, new Random(3)));
        var random = new Random(4);
        var ids = Matrix<float>.Build.Dense(5, 7, (_, _) => random.Next(9));
        string path = Path.Combine(directory, "tokens.onnx");

        network.ExportOnnx(path);
        using var session = new InferenceSession(path);
        var tensor = new DenseTensor<float>(ids.ToColumnMajorArray(), [7, 5]);
        using IDisposableReadOnlyCollection<DisposableNamedOnnxValue> results = session.Run([NamedOnnxValue.CreateFromTensor("input", tensor)]);
        float[] actual = results.Single().AsTensor<float>().ToArray();

        actual.Should().Equal(network.Predict(ids).ToColumnMajorArray(), (a, e) => Math.Abs(a - e) <= 1e-5 * Math.Max(1, Math.Abs(e)));
        global::Onnx.ModelProto model = OnnxExporter.Build(network);
        model.OpsetImport.Single().Version.Should().Be(17);
        model.Graph.Node.Select(n => n.OpType).Should().Equal("Cast", "Gather", "Shape", "Slice", "Add", "LayerNormalization", "Flatten", "Gemm");
        model.Graph.Node.Select(n => n.Name).Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public void Import_OfAnExportedEmbedding_IsRefusedNamingTheOperator()
    {
        var network = new Network<float>(Shape.Vector(3), new Embedding<float>(4, 2, new Random(1)));
        string path = Path.Combine(directory, "embedding.onnx");
        network.ExportOnnx(path);

        Action import = () => Network<float>.ImportOnnx(path);

        import.Should().Throw<NeuralNet.Serialization.ModelFormatException>().WithMessage("*Cast*");
    }
}
