using Google.Protobuf;
using NeuralNet.Layers;
using NeuralNet.Onnx;
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

    [Fact]
    public void ImportOnnx_AnAttributeOfTheWrongType_IsRefusedNotReadAsZero()
    {
        ModelProto model = Exported(new LeakyRelu<float>(0.3));
        AttributeProto alpha = model.Graph.Node.Single(n => n.OpType == "LeakyRelu").Attribute.Single();
        alpha.Type = AttributeProto.Types.AttributeType.Int;
        alpha.F = 0;
        alpha.I = 1;

        Assert(model).WithMessage("*LeakyRelu*attribute 'alpha' has type Int; it must be Float*");
    }

    [Fact]
    public void ImportOnnx_AnAttributeGivenTwice_IsRefused()
    {
        ModelProto model = Exported(new Elu<float>(0.5));
        NodeProto elu = model.Graph.Node.Single(n => n.OpType == "Elu");
        elu.Attribute.Add(new AttributeProto { Name = "alpha", Type = AttributeProto.Types.AttributeType.Float, F = 2f });

        Assert(model).WithMessage("*Elu*attribute 'alpha' is given 2 times*");
    }

    [Fact]
    public void ImportOnnx_AnAttributeTheOperatorLacks_IsRefused()
    {
        ModelProto model = Exported(new Sigmoid<float>());
        model.Graph.Node.Single(n => n.OpType == "Sigmoid").Attribute.Add(new AttributeProto { Name = "alpha", Type = AttributeProto.Types.AttributeType.Float, F = 2f });

        Assert(model).WithMessage("*Sigmoid*attribute 'alpha' is not one that Sigmoid has*");
    }

    [Fact]
    public void ImportOnnx_AnInputTheOperatorLacks_IsRefused()
    {
        ModelProto model = Exported(new Tanh<float>());
        model.Graph.Node.Single(n => n.OpType == "Tanh").Input.Add("layer0.bias");

        Assert(model).WithMessage("*Tanh*input 1 ('layer0.bias') is not one that Tanh takes*");
    }

    [Fact]
    public void ImportOnnx_AValueWrittenTwice_IsRefused()
    {
        ModelProto model = Exported(new Relu<float>());
        NodeProto relu = model.Graph.Node.Single(n => n.OpType == "Relu");
        relu.Output.Add(relu.Output[0]);

        Assert(model).WithMessage("*Relu*writes 'output', which the graph already defines*");
    }

    [Theory]
    [InlineData(7, "*graph input 'input'*element type Int64*")]
    [InlineData(1, "*layers do not fit together*Linear(3 → 2) expects input samples of shape (3)*(4)*")]
    public void ImportOnnx_ADeclaredInputThatDisagreesWithTheLayers_IsRefused(int elementType, string message)
    {
        ModelProto model = Exported();
        TypeProto.Types.Tensor input = model.Graph.Input[0].Type.TensorType;
        input.ElemType = elementType;
        input.Shape.Dim[1].DimValue = elementType == 1 ? 4 : 3;

        Assert(model).WithMessage(message);
    }

    [Fact]
    public void ImportOnnx_GeluInAnOpsetWithoutIt_IsRefused()
    {
        ModelProto model = Exported(new Gelu<float>());
        model.OpsetImport[0].Version = 13;

        Assert(model).WithMessage("*Gelu exists from opset 20, but the model imports opset 13*");
    }

    [Fact]
    public void ImportOnnx_ADropoutRatioThatIsNotAScalar_IsRefused()
    {
        ModelProto model = Exported(new Relu<float>());
        NodeProto relu = model.Graph.Node.Single(n => n.OpType == "Relu");
        relu.OpType = "Dropout";
        relu.Input.Add("layer0.bias");

        Assert(model).WithMessage("*Dropout*ratio must be a scalar in [0, 1)*shape [2]*");
    }

    [Fact]
    public void ExportOnnx_ABatchNormMomentumFloat32CannotHoldAsOneMinusM_IsRefusedByName()
    {
        var network = new Network<double>(new Linear<double>(3, 2, new Random(1)), new BatchNorm1d<double>(2, momentum: 1e-9));

        Action export = () => network.ExportOnnx(Path.Combine(directory, "never.onnx"));

        export.Should().Throw<NotSupportedException>().WithMessage("*BatchNorm1d(2)*momentum 1E-09 is too small*");
    }

    [Fact]
    public void ExportOnnx_AnAttributeFloat32RoundsToZero_IsRefused()
    {
        var network = new Network<double>(new Linear<double>(3, 2, new Random(1)), new Elu<double>(1e-300));

        Action export = () => network.ExportOnnx(Path.Combine(directory, "never.onnx"));

        export.Should().Throw<InvalidOperationException>().WithMessage("*attribute 'alpha' is 1E-300, which float32 rounds to 0*");
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
