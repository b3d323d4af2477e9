using System.Buffers.Binary;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Layers;
using NeuralNet.Serialization;
using NeuralNet.Tests.Layers;

namespace NeuralNet.Tests.Serialization;

/// <summary>Save refuses what Load would refuse, and Load refuses what Save could never have written.</summary>
public sealed class SaveSymmetryTests
{
    [Fact]
    public void Save_InputShapeOfMoreThanEightDimensions_IsRefusedBeforeWriting()
    {
        var network = new Network<float>(Shape.Of(1, 1, 1, 1, 1, 1, 1, 1, 1, 4), new Flatten<float>(), new Linear<float>(4, 2, new Random(1)));
        using var stream = new MemoryStream();

        Action save = () => network.Save(stream);

        save.Should().Throw<NotSupportedException>().WithMessage("*10 dimensions*at most 8*");
        stream.Length.Should().Be(0);
    }

    [Fact]
    public void Save_LayerWithADefaultSetting_IsRefused()
    {
        LayerRegistry.Register(typeof(UnsetSetting));
        var network = new Network<float>(new UnsetSetting());

        Action save = () => network.Save(new MemoryStream());

        save.Should().Throw<NotSupportedException>().WithMessage("*setting 'gain' has no value*");
    }

    [Fact]
    public void Load_SettingTheLayerDoesNotTake_IsRefusedNamingIt()
    {
        using var stream = new MemoryStream();
        new Network<float>(new Elu<float>(0.5)).Save(stream);
        byte[] file = stream.ToArray();

        // Rename the stored setting "alpha" to "alphb": a setting an elu layer does not take.
        int at = ModelFileLayout.Of(file, 4).Settings["0/alpha"];
        file[at - 2] = (byte)'b';
        SerializationSamples.FixChecksum(file);

        Action load = () => Network<float>.Load(new MemoryStream(file));

        load.Should().Throw<ModelFormatException>().WithMessage("*layer 0 (elu)*");
    }

    [Fact]
    public void Save_ClosedGenericRegistration_SavesAndLoads()
    {
        LayerRegistry.Register(typeof(FloatOnlyScale));
        var network = new Network<float>(new FloatOnlyScale(2.5));
        using var stream = new MemoryStream();

        network.Save(stream);
        stream.Position = 0;
        var loaded = (FloatOnlyScale)Network<float>.Load(stream).Layers[0];

        loaded.Factor.Should().Be(2.5);
    }

    /// <summary>A layer whose configuration has a setting without a value.</summary>
    [LayerKind("test_unset_setting")]
    private sealed class UnsetSetting : ElementwiseActivation<float>
    {
        public override string Name => "UnsetSetting";

        public static UnsetSetting FromConfig(LayerConfig config) => new();

        public override LayerConfig GetConfig() => new LayerConfig("test_unset_setting").With("gain", default(LayerSetting));

        public override OnnxForm ToOnnx() => OnnxForm.NotSupported("test");

        protected override void Activate(ReadOnlySpan<float> x, Span<float> y) => x.CopyTo(y);

        protected override void Differentiate(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx) => dy.CopyTo(dx);
    }
}

/// <summary>A non-generic user layer, for one element type only.</summary>
[LayerKind("test_float_only_scale")]
public sealed class FloatOnlyScale(double factor) : ElementwiseActivation<float>
{
    public double Factor { get; } = factor;

    public override string Name => "FloatOnlyScale";

    public static FloatOnlyScale FromConfig(LayerConfig config) => new(config.GetNumber("factor"));

    public override LayerConfig GetConfig() => new LayerConfig("test_float_only_scale").With("factor", Factor);

    public override OnnxForm ToOnnx() => OnnxForm.NotSupported("test");

    protected override void Activate(ReadOnlySpan<float> x, Span<float> y)
    {
        for (int i = 0; i < x.Length; i++)
        {
            y[i] = (float)Factor * x[i];
        }
    }

    protected override void Differentiate(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
    {
        for (int i = 0; i < x.Length; i++)
        {
            dx[i] = (float)Factor * dy[i];
        }
    }
}
