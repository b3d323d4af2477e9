using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Data;
using NeuralNet.Diagnostics;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Serialization;
using NeuralNet.Tests.Serialization;
using NeuralNet.Training;

namespace NeuralNet.Tests.Layers;

/// <summary>
/// <see cref="Residual{T}"/>: <c>y = x + f(x)</c> against the inner layers run as a network of their own, gradient checks
/// of the input and every inner parameter, nested blocks, the transformer MLP block, and the nested configuration in
/// model files.
/// </summary>
public sealed class ResidualTests : ILayerCases
{
    private static readonly double[] Zero = [0.0];

    /// <inheritdoc />
    public IEnumerable<LayerCase> Cases =>
    [
        new("Residual(Linear → ReLU → Linear) on (4)", () => LinearReluLinear(4, seed: 1), Shape.Vector(4)),
        new("Residual(LayerNorm → Linear) on (5)", () => LayerNormLinear(5, seed: 2), Shape.Vector(5)),
        new("Residual(BatchNorm1d → Tanh → Linear) on (3)", () => new Residual<double>(
            SerializationSamples.RandomBatchNorm<double>(3, new Random(3)), new Tanh<double>(), new Linear<double>(3, 3, new Random(4))), Shape.Vector(3)),
        new("Residual(Linear → Residual(Tanh → Linear)) on (3)", () => Nested(seed: 5), Shape.Vector(3)),
        new("Residual(Dropout → Linear) on (4)", () => new Residual<double>(new Dropout<double>(0.3, seed: 6), new Linear<double>(4, 4, new Random(7))), Shape.Vector(4)),
        new("Residual(ReLU) on (2, 3)", () => new Residual<double>(new Relu<double>()), Shape.Of(2, 3), 0.05, Zero),
    ];

    [Fact]
    public void Predict_IsTheInputPlusTheInnerLayersRunAsANetwork()
    {
        Residual<double> block = LinearReluLinear(6, seed: 11);
        var network = new Network<double>(block);
        var inner = new Network<double>(block.Layers);
        Matrix<double> x = RandomValues.NormalMatrix(6, 9, new Random(12));

        Matrix<double> expected = x + inner.Predict(x);

        network.Predict(x).Should().Be(expected);
        block.Forward(x).Should().Be(x + inner.Forward(x));
    }

    [Fact]
    public void Backward_IsTheOutputGradientPlusTheInnerLayersInputGradient()
    {
        Residual<double> block = LayerNormLinear(5, seed: 13);
        var inner = new Network<double>(block.Layers);
        Matrix<double> x = RandomValues.NormalMatrix(5, 4, new Random(14));
        Matrix<double> dy = RandomValues.NormalMatrix(5, 4, new Random(15));
        inner.Forward(x);
        Matrix<double> innerGradient = inner.Backward(dy).Clone();
        double[][] innerParameterGradients = [.. inner.Parameters.Select(p => p.Gradient.ToColumnMajorArray())];

        block.Forward(x);
        Matrix<double> dx = block.Backward(dy);

        dx.Should().Be(dy + innerGradient);
        block.Parameters.Select(p => p.Gradient.ToColumnMajorArray()).Should().BeEquivalentTo(innerParameterGradients, o => o.WithStrictOrdering());
    }

    [Fact]
    public void GradientCheck_LinearReluLinear_PassesForTheInputAndEveryInnerParameter()
    {
        Residual<double> block = LinearReluLinear(4, seed: 16);

        GradientCheckReport report = GradientCheck.Layer(block, RandomValues.NormalMatrix(4, 5, new Random(17), scale: 2), new GradientCheckOptions { Seed = 18 });

        report.Passed.Should().BeTrue(report.ToString());
        report.Tensors.Should().Equal("input", "0.weight", "0.bias", "2.weight", "2.bias");
    }

    [Fact]
    public void GradientCheck_LayerNormLinear_PassesForTheInputAndEveryInnerParameter()
    {
        Residual<double> block = LayerNormLinear(6, seed: 19);

        GradientCheckReport report = GradientCheck.Layer(block, RandomValues.NormalMatrix(6, 4, new Random(20), scale: 2), new GradientCheckOptions { Seed = 21 });

        report.Passed.Should().BeTrue(report.ToString());
        report.Tensors.Should().Equal("input", "0.weight", "0.bias", "1.weight", "1.bias");
    }

    [Fact]
    public void NestedBlock_InsideABlock_AddsItsSumAndNamesParametersByPath()
    {
        Residual<double> block = Nested(seed: 22);
        var innerBlock = (Residual<double>)block.Layers[1];
        Matrix<double> x = RandomValues.NormalMatrix(3, 5, new Random(23));

        Matrix<double> h = block.Layers[0].Forward(x).Clone();
        Matrix<double> expected = x + (h + new Network<double>(innerBlock.Layers).Predict(h));

        block.Parameters.Select(p => p.Name).Should().Equal("0.weight", "0.bias", "1.1.weight", "1.1.bias");
        new Network<double>(block).Predict(x).Should().Be(expected);
        GradientCheckReport report = GradientCheck.Layer(block, x, new GradientCheckOptions { Seed = 24 });
        report.Passed.Should().BeTrue(report.ToString());
    }

    [Fact]
    public void InnerLayersThatChangeTheShape_AreRefusedAtConstruction_NamingTheBlockTheInnerLayerAndBothShapes()
    {
        Action build = () => _ = new Residual<double>(new Linear<double>(4, 8, new Random(1)), new Relu<double>(), new Linear<double>(8, 3, new Random(2)));

        build.Should().Throw<ArgumentException>()
            .WithMessage("*Residual(Linear(4 → 8) → ReLU → Linear(8 → 3))*inner layer 2 Linear(8 → 3) gives (3) for input samples of shape (4)*");
    }

    [Fact]
    public void InnerLayersThatChangeTheShape_WhenTheNetworkFixesIt_AreRefusedWhenConnected()
    {
        var block = new Residual<double>(new Flatten<double>());

        Action build = () => _ = new Network<double>(Shape.Of(2, 3), block);

        build.Should().Throw<ArgumentException>()
            .WithMessage("*Residual(Flatten)*inner layer 0 Flatten gives (6) for input samples of shape (2, 3)*");
    }

    [Fact]
    public void InnerLayerThatCannotTakeTheShape_IsNamedInTheMessage()
    {
        var block = new Residual<double>(new LayerNorm<double>(4));

        Action build = () => _ = new Network<double>(Shape.Vector(5), block);

        build.Should().Throw<ArgumentException>().WithMessage("*Residual(LayerNorm(4))*inner layer 0 LayerNorm(4)*(5)*");
    }

    [Fact]
    public void Construction_WithoutLayersOrWithALayerTwice_Throws()
    {
        var linear = new Linear<double>(2, 2, new Random(1));

        FluentActions.Invoking(() => new Residual<double>()).Should().Throw<ArgumentException>().WithMessage("*at least one inner layer*");
        FluentActions.Invoking(() => new Residual<double>(linear, linear)).Should().Throw<ArgumentException>().WithMessage("*inner layer 1*same object*");
    }

    [Fact]
    public void Traits_UseBatchStatistics_OnlyWhenAnInnerLayerDoes()
    {
        new Residual<double>(new BatchNorm1d<double>(3), new Linear<double>(3, 3, new Random(1))).Traits.Should().Be(LayerTraits.UsesBatchStatistics);
        new Residual<double>(new Dropout<double>(0.5, seed: 1)).Traits.Should().Be(LayerTraits.None, "x + dropout(x) is not the identity at inference");
    }

    [Fact]
    public void BuffersAndParameters_AreTheInnerLayersStorage_UnderPrefixedNames()
    {
        var norm = new BatchNorm1d<double>(3);
        var block = new Residual<double>(new Linear<double>(3, 3, new Random(1)), norm);

        block.Buffers.Select(b => b.Name).Should().Equal("1.running_mean", "1.running_var");
        block.Buffers[0].Values.Span[1] = 0.25;
        norm.RunningMean[1].Should().Be(0.25);
        block.Parameters[2].ValueSpan[0] = 7;
        norm.Parameters[0].ValueSpan[0].Should().Be(7);
    }

    [Fact]
    public void TransformerMlpBlock_TrainsALittle_AndSavesAndLoadsBitIdentical()
    {
        // Pre-LayerNorm MLP half of a Transformer block on d = 8 features per sample: x + W₂·gelu(W₁·LN(x) + b₁) + b₂.
        const int d = 8;
        var random = new Random(31);
        var network = new Network<double>(
            new Residual<double>(new LayerNorm<double>(d), new Linear<double>(d, 4 * d, random), new Gelu<double>(), new Linear<double>(4 * d, d, random)),
            new Linear<double>(d, 1, random));
        Matrix<double> features = RandomValues.NormalMatrix(d, 64, new Random(32));
        var targets = Matrix<double>.Build.Dense(1, 64, (_, j) => Math.Tanh(features[0, j] * features[1, j]) + (0.5 * features[2, j]));
        Dataset<double> data = Dataset<double>.ForRegression(features, targets);
        var trainer = new Trainer<double>(network, new MeanSquaredErrorLoss<double>(), new Adam<double>(0.01), new TrainerOptions { Epochs = 30, BatchSize = 16, Seed = 33 });
        double before = trainer.Evaluate(data).Loss;

        trainer.Fit(data);
        double after = trainer.Evaluate(data).Loss;

        after.Should().BeLessThan(0.5 * before);
        using var file = new MemoryStream();
        network.Save(file);
        file.Position = 0;
        Network<double> loaded = Network<double>.Load(file);
        loaded.Parameters.Select(p => p.Name).Should().Equal(network.Parameters.Select(p => p.Name));
        loaded.Parameters.Select(p => p.Value.ToColumnMajorArray()).Should().BeEquivalentTo(network.Parameters.Select(p => p.Value.ToColumnMajorArray()), o => o.WithStrictOrdering());
        loaded.Predict(features).Should().Be(network.Predict(features));
    }

    [Fact]
    public void TrainingStep_WithTheBlockFirst_AppliesTheGradientsOfTheFullBackwardPass()
    {
        // The trainer runs the first layer's parameter-only backward; one plain SGD step must move every inner
        // parameter by −rate × the gradient a full Backward computes.
        Network<double> Build() => new(new Residual<double>(new Linear<double>(3, 5, new Random(61)), new Tanh<double>(), new Linear<double>(5, 3, new Random(62))), new Linear<double>(3, 2, new Random(63)));
        Matrix<double> features = RandomValues.NormalMatrix(3, 8, new Random(64));
        int[] labels = [0, 1, 1, 0, 1, 0, 0, 1];
        Network<double> reference = Build();
        var loss = new CrossEntropyLoss<double>();
        var outputGradient = Matrix<double>.Build.Dense(2, 8);
        loss.Compute(reference.Forward(features), labels, outputGradient);
        reference.Backward(outputGradient);
        double[][] expected = [.. reference.Parameters.Select(p => (p.Value - (0.1 * p.Gradient)).ToColumnMajorArray())];

        Network<double> trained = Build();
        new Trainer<double>(trained, loss, new Sgd<double>(0.1), new TrainerOptions { Epochs = 1, BatchSize = 8, Shuffle = false, Seed = 1 })
            .Fit(Dataset<double>.ForClassification(features, labels, 2));

        trained.Parameters.Select(p => p.Name).Should().StartWith(["0.weight", "0.bias", "2.weight", "2.bias"]);
        trained.Parameters.Select(p => p.Value.ToColumnMajorArray()).Should().BeEquivalentTo(expected, o => o.WithStrictOrdering());
    }

    [Fact]
    public void Predict_FromManyThreads_GivesTheSingleThreadedResult()
    {
        var network = new Network<double>(Nested(seed: 41), new Residual<double>(new LayerNorm<double>(3), new Linear<double>(3, 3, new Random(42))));
        Matrix<double> x = RandomValues.NormalMatrix(3, 33, new Random(43));
        Matrix<double> expected = network.Predict(x);

        Matrix<double>[] results = new Matrix<double>[16];
        Parallel.For(0, results.Length, i =>
        {
            for (int repeat = 0; repeat < 20; repeat++)
            {
                results[i] = network.Predict(x);
            }
        });

        results.Should().AllSatisfy(r => r.Should().Be(expected));
    }

    [Fact]
    public void Summary_ListsTheBlock_AndItsInnerLayersIndented()
    {
        var network = new Network<float>(new Residual<float>(new Linear<float>(4, 8, new Random(1)), new Relu<float>(), new Linear<float>(8, 4, new Random(2))));

        string[] lines = network.Summary().Split(Environment.NewLine);

        lines.Should().Contain(l => l.Contains("0  Residual: x + f(x), f of 3 layers") && l.Contains("(4)") && l.TrimEnd().EndsWith("76", StringComparison.Ordinal));
        lines.Should().Contain(l => l.Contains("0.0    Linear(4 → 8)") && l.Contains("(8)") && l.TrimEnd().EndsWith("40", StringComparison.Ordinal));
        lines.Should().Contain(l => l.Contains("0.1    ReLU"));
        lines.Should().Contain(l => l.Contains("0.2    Linear(8 → 4)") && l.Contains("(4)"));
        lines[^1].Should().StartWith("trainable parameters: 76;");
    }

    [Fact]
    public void ModelFile_StoresTheInnerLayersAsAListOfLayersSetting_ByteForByte()
    {
        var network = new Network<double>(new Residual<double>(new Linear<double>(2, 2, new Random(1)), new Relu<double>()));
        using var stream = new MemoryStream();
        network.Save(stream);

        var file = EditableModelFile.Parse(stream.ToArray(), elementSize: 8);

        EditableModelFile.Layer layer = file.Layers.Single();
        layer.Kind.Should().Equal("residual"u8.ToArray());
        EditableModelFile.Setting setting = layer.Settings.Single();
        setting.Name.Should().Equal("layers"u8.ToArray());
        setting.Type.Should().Be(6);
        byte[] expected =
        [
            2, 0, 0, 0,                                               // two inner layers
            6, .. "linear"u8, 2, 0, 0, 0,                             // kind, two settings
            6, .. "inputs"u8, 2, 2, 0, 0, 0, 0, 0, 0, 0,              // integer 2
            7, .. "outputs"u8, 2, 2, 0, 0, 0, 0, 0, 0, 0,             // integer 2
            4, .. "relu"u8, 0, 0, 0, 0,                               // kind, no settings
        ];
        setting.Value.Should().Equal(expected);
        layer.Parameters.Select(p => System.Text.Encoding.ASCII.GetString(p.Name)).Should().Equal("0.weight", "0.bias");
    }

    [Fact]
    public void ModelFile_NestingDeeperThanTheLimit_IsAFormatError()
    {
        var network = new Network<double>(new Residual<double>(new Relu<double>()));
        using var stream = new MemoryStream();
        network.Save(stream);
        var file = EditableModelFile.Parse(stream.ToArray(), elementSize: 8);

        // 17 residual blocks, each holding the next, around a ReLU.
        byte[] value = [1, 0, 0, 0, 4, .. "relu"u8, 0, 0, 0, 0];
        for (int level = 0; level < 16; level++)
        {
            value = [1, 0, 0, 0, 8, .. "residual"u8, 1, 0, 0, 0, 6, .. "layers"u8, 6, .. value];
        }

        file.Layers[0].Settings[0] = file.Layers[0].Settings[0] with { Value = value };
        Action load = () => Network<double>.Load(new MemoryStream(file.ToBytes()));

        load.Should().Throw<ModelFormatException>().WithMessage("*17 levels deep*at most 16*");
    }

    [Theory]
    [InlineData(0xFFFFFFFFu, "*layer count*")]
    [InlineData(3u, "*setting 'layers' layer 1 kind*")]
    [InlineData(0u, "*at least one inner layer*")]
    public void ModelFile_DamagedInnerLayerCount_IsAFormatError(uint count, string message)
    {
        var network = new Network<double>(new Residual<double>(new Relu<double>()));
        using var stream = new MemoryStream();
        network.Save(stream);
        var file = EditableModelFile.Parse(stream.ToArray(), elementSize: 8);
        byte[] value = [.. file.Layers[0].Settings[0].Value];
        BitConverter.TryWriteBytes(value.AsSpan(0, 4), count).Should().BeTrue();
        if (count == 0)
        {
            value = value[..4];
        }

        file.Layers[0].Settings[0] = file.Layers[0].Settings[0] with { Value = value };
        Action load = () => Network<double>.Load(new MemoryStream(file.ToBytes()));

        load.Should().Throw<ModelFormatException>().WithMessage(message);
    }

    [Fact]
    public void ModelFile_UnknownInnerKind_IsAFormatErrorNamingIt()
    {
        var network = new Network<double>(new Residual<double>(new Relu<double>()));
        using var stream = new MemoryStream();
        network.Save(stream);
        var file = EditableModelFile.Parse(stream.ToArray(), elementSize: 8);
        file.Layers[0].Settings[0] = file.Layers[0].Settings[0] with { Value = [1, 0, 0, 0, 4, .. "relx"u8, 0, 0, 0, 0] };

        Action load = () => Network<double>.Load(new MemoryStream(file.ToBytes()));

        load.Should().Throw<ModelFormatException>().WithMessage("*relx*");
    }

    [Fact]
    public void Save_NestingDeeperThanTheLimit_ThrowsNotSupportedBeforeWriting()
    {
        ILayer<double> block = new Relu<double>();
        for (int level = 0; level < 17; level++)
        {
            block = new Residual<double>(block);
        }

        using var stream = new MemoryStream();
        Action save = () => new Network<double>(Shape.Vector(2), block).Save(stream);

        save.Should().Throw<NotSupportedException>().WithMessage("*Residual(Residual(*cannot be saved*nesting depth 17*16 levels of nesting*");
        stream.Length.Should().Be(0);
    }

    [Fact]
    public void ToOnnx_WithAnInnerLayerWithoutAForm_IsRefusedNamingItAndItsReason()
    {
        var block = new Residual<double>(new Linear<double>(3, 3, new Random(1)), new Silu<double>());

        OnnxForm form = block.ToOnnx();

        form.IsSupported.Should().BeFalse();
        form.NotSupportedReason.Should().Contain("inner layer 1 SiLU").And.Contain("no single SiLU operator");
    }

    [Fact]
    public void Config_RoundTripsThroughTheRegistry_WithEqualNestedSettings()
    {
        Residual<double> block = Nested(seed: 51);

        LayerConfig config = block.GetConfig();
        ILayer<float> rebuilt = LayerRegistry.Create<float>(config);

        rebuilt.Should().BeOfType<Residual<float>>();
        rebuilt.GetConfig().Should().Be(config);
        config.ToString().Should().Be("residual(layers = [linear(inputs = 3, outputs = 3), residual(layers = [tanh(), linear(inputs = 3, outputs = 3)])])");
        LayerSetting.FromLayers([new LayerConfig("relu")]).Should().NotBe(LayerSetting.FromLayers([new LayerConfig("tanh")]));
    }

    private static Residual<double> LinearReluLinear(int d, int seed)
    {
        var random = new Random(seed);
        return new Residual<double>(new Linear<double>(d, 2 * d, random), new Relu<double>(), new Linear<double>(2 * d, d, random));
    }

    private static Residual<double> LayerNormLinear(int d, int seed)
    {
        var norm = new LayerNorm<double>(d);
        var random = new Random(seed);
        foreach (Parameter<double> p in norm.Parameters)
        {
            p.Value.MapInplace(v => v + (0.3 * (random.NextDouble() - 0.5)));
        }

        return new Residual<double>(norm, new Linear<double>(d, d, random));
    }

    private static Residual<double> Nested(int seed)
    {
        var random = new Random(seed);
        return new Residual<double>(new Linear<double>(3, 3, random), new Residual<double>(new Tanh<double>(), new Linear<double>(3, 3, random)));
    }
}
