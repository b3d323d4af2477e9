using Google.Protobuf;
using NeuralNet.Layers;
using NeuralNet.Serialization;
using Onnx;

namespace NeuralNet.Tests.Onnx;

/// <summary>Crafted ONNX graphs get the one documented exception, whatever they trip over.</summary>
public sealed class OnnxImportDamageTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("onnx-damage-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void ImportOnnx_DuplicateInitializerNames_ThrowsModelFormatException()
    {
        ModelProto model = Exported();
        model.Graph.Initializer.Add(model.Graph.Initializer[0].Clone());

        Assert(model).WithMessage("*cannot be converted*");
    }

    [Fact]
    public void ImportOnnx_NonFiniteWeights_AreRefused()
    {
        ModelProto model = Exported();
        TensorProto weights = model.Graph.Initializer[0];
        byte[] raw = weights.RawData.ToByteArray();
        BitConverter.GetBytes(float.NaN).CopyTo(raw, 4);
        weights.RawData = ByteString.CopyFrom(raw);

        Assert(model).WithMessage("*NaN at index 1*finite*");
    }

    [Fact]
    public void ImportOnnx_OverflowingShape_IsRefused()
    {
        ModelProto model = Exported();
        TensorProto weights = model.Graph.Initializer[0];
        weights.Dims.Clear();
        weights.Dims.Add(1L << 32);
        weights.Dims.Add(1L << 32);

        Assert(model);
    }

    [Fact]
    public void ImportOnnx_EluWithANonPositiveAlpha_ThrowsModelFormatException()
    {
        ModelProto model = Exported(new Elu<float>(1.0));
        NodeProto elu = model.Graph.Node.Single(n => n.OpType == "Elu");
        elu.Attribute.Single(a => a.Name == "alpha").F = -1f;

        Assert(model).WithMessage("*cannot be converted*alpha*");
    }

    private FluentAssertions.Specialized.ExceptionAssertions<ModelFormatException> Assert(ModelProto model)
    {
        string path = Path.Combine(directory, "damaged.onnx");
        File.WriteAllBytes(path, model.ToByteArray());
        Action act = () => Network<float>.ImportOnnx(path);
        return act.Should().Throw<ModelFormatException>().WithMessage($"*{path}*");
    }

    private ModelProto Exported(params ILayer<float>[] extra)
    {
        var random = new Random(4);
        var network = new Network<float>([new Linear<float>(3, 2, random), .. extra]);
        string path = Path.Combine(directory, "model.onnx");
        network.ExportOnnx(path);
        return ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));
    }
}
