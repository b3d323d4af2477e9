using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Data;
using NeuralNet.Diagnostics;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Onnx;
using NeuralNet.Optimizers;
using NeuralNet.Training;

namespace NeuralNet.Tests.Layers;

/// <summary>
/// <see cref="Embedding{T}"/> against PyTorch's <c>nn.Embedding</c>: <c>y[t] = W[ids[t]]</c>, weight
/// <c>[vocabulary, dimension]</c> from <c>N(0, 1)</c> with a zero padding row, and <c>∂L/∂W</c> a scatter-add that
/// skips the padding id.
/// </summary>
public sealed class EmbeddingTests : ILayerCases
{
    /// <inheritdoc />
    public IEnumerable<LayerCase> Cases =>
    [
        new("Embedding(7, 3)", () => new Embedding<double>(7, 3, new Random(3)), Shape.Vector(5), Inputs: (batch, seed) => RandomIds(5, batch, 7, seed)),

        // The padding id is left out of this case's inputs: its row's gradient is zero by definition (PyTorch's), which
        // finite differences cannot confirm; GradientCheck_OfTheWeightWithRepeatedIdsAndThePaddingId checks it.
        new("Embedding(4, 2, padding 1)", () => new Embedding<double>(4, 2, new Random(4), paddingIndex: 1), Shape.Vector(6), Inputs: (batch, seed) => RandomIds(6, batch, 4, seed).Map(id => id == 1 ? 3.0 : id)),
    ];

    /// <summary>A <c>steps × batch</c> minibatch of ids drawn uniformly from <c>[0, vocabulary)</c>, stored as doubles.</summary>
    internal static Matrix<double> RandomIds(int steps, int batch, int vocabulary, int seed)
    {
        var random = new Random(seed);
        return Matrix<double>.Build.Dense(steps, batch, (_, _) => random.Next(vocabulary));
    }

    [Fact]
    public void Forward_GivesTheWeightRowOfEachId_StepByStep()
    {
        var layer = new Embedding<double>(3, 2, new Random(1));
        // PyTorch's weight [3, 2] = [[1, 2], [3, 4], [5, 6]], stored in that (row-major) memory order.
        double[] weight = [1, 2, 3, 4, 5, 6];
        weight.CopyTo(layer.Parameters[0].ValueSpan);
        Matrix<double> ids = Matrix<double>.Build.DenseOfColumnArrays([2, 0, 2], [1, 1, 0]);

        Matrix<double> y = layer.Forward(ids);

        y.RowCount.Should().Be(6);
        y.Column(0).ToArray().Should().Equal(5, 6, 1, 2, 5, 6);
        y.Column(1).ToArray().Should().Equal(3, 4, 3, 4, 1, 2);
        layer.Weights.Column(1).ToArray().Should().Equal(3, 4);
        var output = Matrix<double>.Build.Dense(6, 2);
        layer.Predict(ids, output);
        output.Should().Be(y);
    }

    [Fact]
    public void Constructor_DrawsStandardNormalWeights_AndZerosThePaddingRow()
    {
        var layer = new Embedding<double>(400, 50, new Random(7), paddingIndex: 3);
        double[] w = layer.Parameters[0].Value.ToColumnMajorArray();
        double[] others = [.. w.Where((_, i) => i / 50 != 3)];

        w.Skip(3 * 50).Take(50).Should().OnlyContain(v => v == 0);
        others.Average().Should().BeApproximately(0, 0.03);
        others.Average(v => v * v).Should().BeApproximately(1, 0.03);
        new Embedding<double>(400, 50, new Random(7), paddingIndex: 3).Parameters[0].Value.ToColumnMajorArray().Should().Equal(w, "the same seed gives the same table");
    }

    [Fact]
    public void Backward_RepeatedIdsAccumulate_AndThePaddingIdGetsNoGradient()
    {
        var layer = new Embedding<double>(4, 2, new Random(1), paddingIndex: 0);
        Matrix<double> ids = Matrix<double>.Build.DenseOfColumnArrays([1, 3, 1], [0, 1, 2]);
        layer.Forward(ids);
        Matrix<double> g = Matrix<double>.Build.DenseOfColumnArrays([1, 2, 10, 20, 100, 200], [5, 6, 7, 8, 9, 11]);

        Matrix<double> dx = layer.Backward(g);

        // Row 1 is hit three times (two steps of sample 0, one of sample 1); row 0 is the padding, hit once.
        layer.Parameters[0].Gradient.ToColumnMajorArray().Should().Equal(0, 0, 1 + 100 + 7, 2 + 200 + 8, 9, 11, 10, 20);
        dx.RowCount.Should().Be(3);
        dx.Enumerate().Should().OnlyContain(v => v == 0, "ids are not differentiable");
    }

    [Fact]
    public void GradientCheck_OfTheWeightWithRepeatedIdsAndThePaddingId_AgreesEverywhereButThePaddingRow()
    {
        // The output does depend on the padding row, but PyTorch defines its gradient as zero (a fixed "pad"): finite
        // differences must agree on every other row, and on the padding row see exactly that deliberate zero.
        var layer = new Embedding<double>(5, 3, new Random(2), paddingIndex: 4);
        layer.Weights.SetColumn(4, [0.5, -1, 2]);
        Matrix<double> ids = Matrix<double>.Build.DenseOfColumnArrays([4, 2, 2, 0], [1, 4, 2, 2], [3, 3, 3, 4]);

        GradientCheckReport report = GradientCheck.Layer(layer, ids, new GradientCheckOptions { Seed = 3, RelativeTolerance = 1e-8, Floor = 1, WorstEntries = 15 });

        report.Tensors.Should().Equal("weight");
        report.EntriesFailed.Should().Be(3, report.ToString());
        report.Worst.Where(e => !e.Passed).Select(e => e.Index).Should().BeEquivalentTo([12, 13, 14]);
        report.Worst.Where(e => !e.Passed).Should().OnlyContain(e => e.Analytic == 0);
        GradientCheck.Layer(layer, ids.Map(id => id == 4 ? 1.0 : id), new GradientCheckOptions { Seed = 3, RelativeTolerance = 1e-8, Floor = 1 })
            .Passed.Should().BeTrue("without the padding id every row agrees");
    }

    [Theory]
    [InlineData(1.5, "1.5")]
    [InlineData(-1, "-1")]
    [InlineData(7, "7")]
    [InlineData(1e10, "10000000000")]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "Infinity")]
    public void Forward_AnIdThatIsNotAnIntegerOfTheTable_ThrowsNamingTheSampleStepAndValue(double id, string shown)
    {
        var layer = new Embedding<double>(7, 3, new Random(1));
        Matrix<double> ids = Matrix<double>.Build.DenseOfColumnArrays([0, 1, 2], [3, 4, id]);

        Action forward = () => layer.Forward(ids);
        Action predict = () => layer.Predict(ids, Matrix<double>.Build.Dense(9, 2));

        forward.Should().Throw<ArgumentException>().WithMessage($"Embedding(7, 3): sample 1, step 2 holds the id {shown}; ids must be integers in [0, 7).*");
        predict.Should().Throw<ArgumentException>().WithMessage($"*sample 1, step 2 holds the id {shown}*");
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(5)]
    public void Constructor_PaddingIndexOutsideTheTable_ThrowsNamingIt(int padding)
    {
        Action create = () => _ = new Embedding<float>(5, 2, new Random(1), padding);

        create.Should().Throw<ArgumentOutOfRangeException>().WithMessage($"Embedding(5, 2): the padding index must be an id in [0, 5), got {padding}.*");
    }

    [Fact]
    public void NetworkOfIds_HasTheStepsTimesDimensionShape_InItsSummary()
    {
        var network = new Network<float>(Shape.Vector(8), new Embedding<float>(65, 16, new Random(1)), new LayerNorm<float>(16));

        network.OutputShape.Should().Be(Shape.Of(8, 16));
        network.Summary().Should().Contain("(8, 16)").And.Contain("Embedding(65, 16)");
        new Embedding<float>(65, 16, new Random(1), paddingIndex: 0).ToString().Should().Be("Embedding(65, 16, padding 0, 1,040 parameters)");
    }

    [Fact]
    public void Network_OfIdsThatAreNotASequence_ThrowsNamingTheLayerAndTheShape()
    {
        Action build = () => _ = new Network<float>(Shape.Of(2, 3), new Embedding<float>(5, 2, new Random(1)));

        build.Should().Throw<ArgumentException>().WithMessage("*Embedding(5, 2): expects input samples of shape (steps): a sequence of at most * ids, got (2, 3).*");
    }

    [Fact]
    public void Config_KeepsThePaddingIndex_MinusOneWhenThereIsNone()
    {
        new Embedding<float>(6, 2, new Random(1), 5).GetConfig().ToString().Should().Be("embedding(vocabulary = 6, dimension = 2, padding_index = 5)");
        LayerConfig none = new Embedding<float>(6, 2, new Random(1)).GetConfig();
        none.ToString().Should().Be("embedding(vocabulary = 6, dimension = 2, padding_index = -1)");
        ((Embedding<float>)LayerRegistry.Create<float>(none)).PaddingIndex.Should().BeNull();
        ((Embedding<float>)LayerRegistry.Create<float>(new Embedding<float>(6, 2, new Random(1), 0).GetConfig())).PaddingIndex.Should().Be(0);
    }

    [Fact]
    public void OnnxForm_IsACastToInt64ThenAGatherOfTheWeight()
    {
        var network = new Network<float>(Shape.Vector(3), new Embedding<float>(4, 2, new Random(1)));

        global::Onnx.ModelProto model = NeuralNet.Onnx.OnnxExporter.Build(network);

        model.Graph.Node.Select(n => n.OpType).Should().Equal("Cast", "Gather");
        model.Graph.Node[0].Input.Should().Equal("input");
        model.Graph.Node[0].Output.Should().Equal("layer0.ids");
        model.Graph.Node[1].Input.Should().Equal("layer0.weight", "layer0.ids");
        model.Graph.Node[1].Output.Should().Equal("output");
        model.Graph.Initializer.Single().Dims.Should().Equal(4, 2);
    }

    [Fact]
    public void Trainer_LearnsATokenTask_ThroughEmbeddingFlattenLinear()
    {
        // Two ids per sample from 6; the class is the first id's parity: only the embedding of step 0 matters.
        var random = new Random(11);
        int count = 60;
        var ids = Matrix<float>.Build.Dense(2, count, (_, _) => random.Next(6));
        int[] labels = [.. Enumerable.Range(0, count).Select(j => (int)ids[0, j] % 2)];
        var network = new Network<float>(
            Shape.Vector(2), new Embedding<float>(6, 4, new Random(1)), new Flatten<float>(), new Linear<float>(8, 2, new Random(2)));
        float[] before = network.Layers[0].Parameters[0].Value.ToColumnMajorArray();
        var trainer = new Trainer<float>(network, new CrossEntropyLoss<float>(), new Adam<float>(0.05), new TrainerOptions { Epochs = 40, BatchSize = 10, Seed = 1 });

        trainer.Fit(Dataset<float>.ForClassification(ids, labels));

        trainer.Evaluate(Dataset<float>.ForClassification(ids, labels)).Accuracy.Should().Be(1);
        network.Layers[0].Parameters[0].Value.ToColumnMajorArray().Should().NotEqual(before, "the embedding is trained");
        network.PredictClass([3f, 0f]).Should().Be(1);
        network.PredictClass([4f, 5f]).Should().Be(0);
    }

    [Fact]
    public void GradientCheck_OfANetworkStartingWithAnEmbedding_ChecksTheParametersOnly()
    {
        var network = new Network<double>(
            Shape.Vector(3), new Embedding<double>(5, 2, new Random(1)), new Flatten<double>(), new Linear<double>(6, 3, new Random(2)));

        GradientCheckReport report = GradientCheck.Network(network, new CrossEntropyLoss<double>(), RandomIds(3, 4, 5, seed: 6), [0, 2, 1, 2]);

        report.Passed.Should().BeTrue(report.ToString());
        report.Tensors.Should().Equal("layer 0 weight", "layer 2 weight", "layer 2 bias");
    }
}
