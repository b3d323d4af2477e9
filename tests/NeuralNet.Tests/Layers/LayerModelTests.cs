using System.Buffers.Binary;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Layers;
using NeuralNet.Serialization;
using NeuralNet.Tests.Serialization;

namespace NeuralNet.Tests.Layers;

/// <summary>Shapes, configurations, the registry and the network's shape chain.</summary>
public sealed class LayerModelTests
{
    [Fact]
    public void Shape_ComparesByValue_AndCountsItsElements()
    {
        Shape image = Shape.Of(32, 14, 14);

        image.Should().Be(Shape.Of(32, 14, 14));
        (image == Shape.Of(32, 14, 14)).Should().BeTrue();
        (image != Shape.Of(14, 32, 14)).Should().BeTrue();
        image.Size.Should().Be(6272);
        image.Rank.Should().Be(3);
        image.ToString().Should().Be("(32, 14, 14)");
        Shape.Vector(10).Should().Be(Shape.Of(10));
    }

    [Theory]
    [InlineData(new int[0], "*at least one dimension*")]
    [InlineData(new[] { 3, 0 }, "*at least 1*(3, 0)*")]
    [InlineData(new[] { 65536, 65536 }, "*more than*elements per sample*")]
    public void Shape_Of_RefusesImpossibleDimensions(int[] dimensions, string message)
    {
        Action create = () => Shape.Of(dimensions);

        create.Should().Throw<ArgumentException>().WithMessage(message);
    }

    [Fact]
    public void LayerConfig_KeepsTypedSettingsInOrder_AndNamesWhatIsMissingOrMistyped()
    {
        LayerConfig config = new LayerConfig("demo").With("rate", 0.25).With("size", 7L).With("flag", true).With("mode", "same")
            .With("kernel", LayerSetting.FromIntegers([3, 5]));

        config.Settings.Select(s => s.Key).Should().Equal("rate", "size", "flag", "mode", "kernel");
        config.GetNumber("rate").Should().Be(0.25);
        config.GetInt32("size").Should().Be(7);
        config.GetBoolean("flag").Should().BeTrue();
        config.GetText("mode").Should().Be("same");
        config.GetInt32Array("kernel").Should().Equal(3, 5);
        config.ToString().Should().Be("demo(rate = 0.25, size = 7, flag = true, mode = \"same\", kernel = [3, 5])");
        config.Invoking(c => c.GetNumber("size")).Should().Throw<ArgumentException>().WithMessage("demo: the setting 'size' holds a Integer value, expected a Number value*");
        config.Invoking(c => c.GetNumber("missing")).Should().Throw<ArgumentException>().WithMessage("demo: the setting 'missing' is missing*");
        config.Invoking(c => c.With("rate", 1.0)).Should().Throw<ArgumentException>().WithMessage("*already present*");
        new LayerConfig("big").With("n", 1L << 40).Invoking(c => c.GetInt32("n")).Should().Throw<ArgumentException>().WithMessage("*outside the range*");
    }

    [Fact]
    public void LayerConfig_DescribesTheFirstDifference()
    {
        LayerConfig a = new LayerConfig("batch_norm_1d").With("features", 4L).With("momentum", 0.1);
        LayerConfig b = new LayerConfig("batch_norm_1d").With("features", 4L).With("momentum", 0.2);

        a.DescribeDifference(a).Should().BeNull();
        a.DescribeDifference(b).Should().Be("batch_norm_1d setting 'momentum' 0.1 vs 0.2");
        a.Should().NotBe(b);
        a.DescribeDifference(new LayerConfig("linear")).Should().Be("kind 'batch_norm_1d' vs 'linear'");
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("ünïcode")]
    public void LayerConfig_RefusesNamesAFileCannotStore(string kind)
    {
        Action create = () => _ = new LayerConfig(kind);

        create.Should().Throw<ArgumentException>();
    }

    [Fact]
    public void Registry_BuildsEveryLibraryKindFromItsOwnConfig()
    {
        foreach (string kind in new[] { "relu", "sigmoid", "tanh", "identity", "softplus", "gelu", "softmax", "silu", "hard_sigmoid" })
        {
            ILayer<float> layer = LayerRegistry.Create<float>(new LayerConfig(kind));
            layer.GetConfig().Should().Be(new LayerConfig(kind));
            layer.GetType().GetGenericTypeDefinition().Should().Be(LayerRegistry.GetLayerType(kind));
        }
    }

    [Fact]
    public void Registry_RefusesUnknownKindsAndBadRegistrations_NamingThem()
    {
        Action unknown = () => LayerRegistry.Create<float>(new LayerConfig("no_such_layer"));
        Action noAttribute = () => LayerRegistry.Register(typeof(Serialization.ForeignLayer<>));
        Action taken = () => LayerRegistry.Register(typeof(ImpostorLinear));

        unknown.Should().Throw<ArgumentException>().WithMessage("Unknown layer kind 'no_such_layer'; registered kinds: *linear*");
        noAttribute.Should().Throw<ArgumentException>().WithMessage("*ForeignLayer*no [LayerKind*");
        taken.Should().Throw<ArgumentException>().WithMessage("The kind 'linear' is already registered to Linear`1*");
    }

    [Fact]
    public void Registry_RefusesABadSettingThroughTheLayersOwnValidation()
    {
        Action create = () => LayerRegistry.Create<double>(new LayerConfig("elu").With("alpha", -1.0));

        create.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*Elu: alpha must be finite and positive*");
    }

    [Fact]
    public void Network_GivenAnInputShape_ChecksTheWholeChainAndKeepsEachOutputShape()
    {
        var network = new Network<float>(Shape.Vector(4), new Relu<float>(), new Linear<float>(4, 3, new Random(1)), new Softmax<float>());

        network.InputShape.Should().Be(Shape.Vector(4));
        network.OutputShape.Should().Be(Shape.Vector(3));
        network.GetLayerOutputShape(0).Should().Be(Shape.Vector(4));
        network.GetLayerOutputShape(1).Should().Be(Shape.Vector(3));
    }

    [Fact]
    public void Network_RefusesAnInputShapeTheFirstLayerCannotTake()
    {
        Action build = () => _ = new Network<float>(Shape.Of(1, 2, 2), new Linear<float>(4, 3, new Random(1)));

        build.Should().Throw<ArgumentException>().WithMessage("Layer 0 Linear(4 → 3) expects input samples of shape (4), but the network's input samples have (1, 2, 2)*");
    }

    [Fact]
    public void NetworkOfActivationsOnly_HasNoFixedShape_PredictsAnyWidth()
    {
        var network = new Network<double>(new Tanh<double>(), new Relu<double>());

        network.InputShape.Should().BeNull();
        network.Predict(Matrix<double>.Build.Dense(6, 2, 0.5)).RowCount.Should().Be(6);
        network.Summary().Should().Contain("(as input)").And.Contain("input shape: any");
    }

    [Fact]
    public void Network_RefusesTheSameLayerObjectTwice()
    {
        var relu = new Relu<float>();
        Action build = () => _ = new Network<float>(new Linear<float>(3, 3, new Random(1)), relu, new Linear<float>(3, 3, new Random(2)), relu);

        build.Should().Throw<ArgumentException>().WithMessage("Layer 3 ReLU is the same object as an earlier layer*");
    }

    [Fact]
    public void Summary_CountsRunningStatisticsAsNonTrainable_AndTheMemoryOfBoth()
    {
        var network = new Network<double>(new Linear<double>(3, 4, new Random(1)), new BatchNorm1d<double>(4), new Dropout<double>(0.5, 1));

        string[] lines = network.Summary().Split(Environment.NewLine);

        lines[3].Should().MatchRegex(@"^\s+1\s+BatchNorm1d\(4\)\s+\(4\)\s+8$");
        lines[^1].Should().Be("trainable parameters: 24; non-trainable values: 8; memory: 256 B");
    }

    [Fact]
    public void Load_ASettingThatWouldAllocateMoreThanTheFileHolds_FailsBeforeAllocating()
    {
        using var stream = new MemoryStream();
        new Network<float>(new Linear<float>(3, 2, new Random(1))).Save(stream);
        byte[] file = stream.ToArray();
        BinaryPrimitives.WriteUInt64LittleEndian(file.AsSpan(ModelFileLayout.Of(file, 4).Settings["0/outputs"]), 100_000_000);
        SerializationSamples.FixChecksum(file);

        long before = GC.GetAllocatedBytesForCurrentThread();
        Action load = () => Network<float>.Load(new MemoryStream(file));

        load.Should().Throw<ModelFormatException>().WithMessage("*layer 0 (linear) is invalid*300,000,000 values*");
        (GC.GetAllocatedBytesForCurrentThread() - before).Should().BeLessThan(1_000_000);
    }

    [Fact]
    public void Save_RefusesABufferALoaderWouldRefuse_AndWritesNothing()
    {
        var norm = new BatchNorm1d<double>(2);
        norm.RunningVariance[1] = double.NaN;
        var network = new Network<double>(norm);
        string path = Path.Combine(Path.GetTempPath(), $"nnet-nan-{Guid.NewGuid():N}.nnet");

        Action save = () => network.Save(path);

        save.Should().Throw<InvalidOperationException>().WithMessage("Layer 0 BatchNorm1d(2) cannot be saved: buffer 'running_var' holds NaN at index 1*");
        File.Exists(path).Should().BeFalse();
    }

    [Fact]
    public void Convert_ToFloat_KeepsLayersParametersAndStatistics()
    {
        var norm = Serialization.SerializationSamples.RandomBatchNorm<double>(3, new Random(4));
        var network = new Network<double>(new Linear<double>(2, 3, new Random(3)), norm, new Dropout<double>(0.2, 9));

        Network<float> single = network.Convert<float>();

        single.Layers.Select(l => l.GetConfig()).Should().Equal(network.Layers.Select(l => l.GetConfig()));
        single.Parameters[0].ValueSpan.ToArray().Should().Equal(network.Parameters[0].ValueSpan.ToArray().Select(v => (float)v));
        single.Layers[1].Buffers[1].Values.ToArray().Should().Equal(norm.RunningVariance.ToArray().Select(v => (float)v));
        single.Layers[2].Buffers[0].Words.ToArray().Should().Equal(network.Layers[2].Buffers[0].Words.ToArray());
    }

    [Fact]
    public void Convert_RefusesAValueTheTargetTypeCannotHold()
    {
        var linear = new Linear<double>(1, 1, new Random(1));
        linear.Weights[0, 0] = 1e300;

        Action convert = () => new Network<double>(linear).Convert<float>();

        convert.Should().Throw<ArgumentException>().WithMessage("Layer 0 Linear(1 → 1): weight[0] = 1E+300 does not fit Single*");
    }

    /// <summary>A class claiming a kind the library already uses.</summary>
    [LayerKind("linear")]
    private sealed class ImpostorLinear : ElementwiseActivation<float>
    {
        public override string Name => "Impostor";

        public static ImpostorLinear FromConfig(LayerConfig config) => new();

        public override LayerConfig GetConfig() => new("linear");

        public override OnnxForm ToOnnx() => OnnxForm.NotSupported("test");

        protected override void Activate(ReadOnlySpan<float> x, Span<float> y) => x.CopyTo(y);

        protected override void Differentiate(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx) => dy.CopyTo(dx);
    }
}
