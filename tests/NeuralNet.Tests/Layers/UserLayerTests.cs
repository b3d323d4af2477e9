using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Data;
using NeuralNet.Diagnostics;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Onnx;
using NeuralNet.Optimizers;
using NeuralNet.Serialization;
using NeuralNet.Training;

namespace NeuralNet.Tests.Layers;

/// <summary>A layer defined in this test assembly, once registered, gets everything the library's layers get.</summary>
public sealed class UserLayerTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("nnet-user-layer-").FullName;

    static UserLayerTests() => LayerRegistry.Register(typeof(ScaleLayer<>));

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void Registry_ListsTheUserKind_AndRegisteringTwiceIsHarmless()
    {
        LayerRegistry.Register(typeof(ScaleLayer<>));

        LayerRegistry.Kinds.Should().Contain("test_scale").And.Contain("linear");
        LayerRegistry.GetLayerType("test_scale").Should().Be(typeof(ScaleLayer<>));
        LayerRegistry.OnnxOperators.Should().Contain("Mul");
    }

    [Fact]
    public void SaveAndLoad_KeepsTheScaleAndTheBuffer()
    {
        Network<float> network = TrainedNetwork(epochs: 3, checkpoint: null);
        string path = Path.Combine(directory, "scale.nnet");

        network.Save(path);
        Network<float> loaded = Network<float>.Load(path);

        var original = (ScaleLayer<float>)network.Layers[0];
        var copy = (ScaleLayer<float>)loaded.Layers[0];
        copy.Parameters[0].ValueSpan.ToArray().Should().Equal(original.Parameters[0].ValueSpan.ToArray());
        copy.Passes.Should().Be(original.Passes).And.BeGreaterThan(0);
        Matrix<float> x = Input();
        loaded.Predict(x).Should().Be(network.Predict(x));
    }

    [Fact]
    public void ResumeFromACheckpoint_IsBitIdentical_IncludingTheUserLayersState()
    {
        string path = Path.Combine(directory, "run.ckpt");
        Network<float> uninterrupted = TrainedNetwork(epochs: 4, checkpoint: null);
        TrainedNetwork(epochs: 2, checkpoint: path);

        Network<float> resumed = Build();
        var trainer = new Trainer<float>(resumed, new CrossEntropyLoss<float>(), new Sgd<float>(0.1, momentum: 0.9), Options(4, path));
        trainer.Resume(Checkpoint<float>.Load(path), Data());

        for (int p = 0; p < resumed.Parameters.Count; p++)
        {
            resumed.Parameters[p].ValueSpan.ToArray().Should().Equal(uninterrupted.Parameters[p].ValueSpan.ToArray());
        }

        ((ScaleLayer<float>)resumed.Layers[0]).Passes.Should().Be(((ScaleLayer<float>)uninterrupted.Layers[0]).Passes);
    }

    [Fact]
    public void OnnxExportAndImport_GiveTheSamePredictions()
    {
        Network<float> network = TrainedNetwork(epochs: 2, checkpoint: null);
        string path = Path.Combine(directory, "scale.onnx");

        network.ExportOnnx(path);
        Network<float> imported = Network<float>.ImportOnnx(path);

        imported.Layers[0].Should().BeOfType<ScaleLayer<float>>();
        Matrix<float> x = Input();
        imported.Predict(x).ToColumnMajorArray().Should().Equal(network.Predict(x).ToColumnMajorArray(), (a, e) => Math.Abs(a - e) <= 1e-6f);
    }

    [Fact]
    public void GradientCheck_VerifiesTheUserLayersBackward()
    {
        var layer = new ScaleLayer<double>(3);
        layer.Parameters[0].ValueSpan[1] = -0.75;

        GradientCheckReport report = GradientCheck.Layer(layer, Matrix<double>.Build.Random(3, 4, 7));

        report.Passed.Should().BeTrue(report.ToString());
        report.Tensors.Should().Equal("input", "scale");
    }

    [Fact]
    public void GradientCheck_CatchesAWrongBackward()
    {
        GradientCheckReport report = GradientCheck.Layer(new WrongScale(), Matrix<double>.Build.Random(3, 2, 8));

        report.Passed.Should().BeFalse();
        report.Worst[0].Tensor.Should().Be("input");
        report.ToString().Should().Contain("FAILED").And.Contain("fails");
    }

    private static Network<float> Build() =>
        new(new ScaleLayer<float>(2), new Linear<float>(2, 2, new Random(3)));

    private static Network<float> TrainedNetwork(int epochs, string? checkpoint)
    {
        Network<float> network = Build();
        new Trainer<float>(network, new CrossEntropyLoss<float>(), new Sgd<float>(0.1, momentum: 0.9), Options(epochs, checkpoint)).Fit(Data());
        return network;
    }

    private static TrainerOptions Options(int epochs, string? checkpoint) =>
        new() { Epochs = epochs, BatchSize = 3, Seed = 5, CheckpointPath = checkpoint };

    private static Dataset<float> Data() =>
        Dataset<float>.ForClassification(Input(), [0, 1, 1, 0, 1, 0, 0]);

    private static Matrix<float> Input() =>
        Matrix<float>.Build.Dense(2, 7, (i, j) => (float)Math.Sin((3 * i) + j + 1));

    /// <summary>A scale-by-2 layer whose backward forgets the factor: the check must say so.</summary>
    private sealed class WrongScale : ElementwiseActivation<double>
    {
        public override string Name => "WrongScale";

        public override LayerConfig GetConfig() => new("wrong_scale");

        public override OnnxForm ToOnnx() => OnnxForm.NotSupported("test layer");

        protected override void Activate(ReadOnlySpan<double> x, Span<double> y)
        {
            for (int i = 0; i < x.Length; i++)
            {
                y[i] = 2 * x[i];
            }
        }

        protected override void Differentiate(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> dy, Span<double> dx) => dy.CopyTo(dx);
    }
}
