using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Layers;
using NeuralNet.Serialization;

namespace NeuralNet.Tests.Serialization;

/// <summary>
/// Files written by format versions 1 and 2, checked into Golden/: they must load, with the recorded predictions, in
/// every later version. The expected numbers were computed independently (a plain Python evaluation of the
/// formulas in <see cref="GoldenModels"/>), not by this library.
/// </summary>
public sealed class GoldenModelTests
{
    private static readonly double[] MlpPredictions =
    [
        0.35521615276902346, 0.3754676986152494, 0.26931614861572717,
        0.3410728443519181, 0.3829327377934819, 0.2759944178546001,
        0.39626625581662733, 0.3566412684272328, 0.2470924757561399,
    ];

    private static readonly double[] AllLayersPredictions =
    [
        0.40632548168827815, 0.30393119629619136, 0.28974332201553044,
        0.4063033801315665, 0.303956213077791, 0.2897404067906425,
        0.40631194925490033, 0.3038891263926235, 0.2897989243524761,
    ];

    /// <summary>Computed in plain Python from the formulas of <see cref="GoldenModels.Regularization"/> (batch norm at inference, dropout the identity).</summary>
    private static readonly double[] RegularizationPredictions =
    [
        0.2747240306008361, 0.03567292232546522, -0.09753532305638316, -0.4208878367760806, -0.0033440088078907915, 0.56025326873261,
    ];

    [Fact]
    public void V1Mlp_Loads_AndGivesTheRecordedPredictions()
    {
        Network<float> network = Network<float>.Load(GoldenPath("v1-mlp.nnet"));

        float[] predictions = network.Predict(GoldenModels.Input<float>(4)).ToColumnMajorArray();

        predictions.Select(v => (double)v).Should().Equal(MlpPredictions, (actual, expected) => Math.Abs(actual - expected) <= 1e-6);
    }

    [Fact]
    public void V1AllLayers_Loads_AndGivesTheRecordedPredictions()
    {
        Network<double> network = Network<double>.Load(GoldenPath("v1-all-layers-f64.nnet"));

        double[] predictions = network.Predict(GoldenModels.Input<double>(3)).ToColumnMajorArray();

        predictions.Should().Equal(AllLayersPredictions, (actual, expected) => Math.Abs(actual - expected) <= 1e-12);
        network.Layers.OfType<LeakyRelu<double>>().Single().Slope.Should().Be(0.3);
        network.Layers.OfType<Elu<double>>().Single().Alpha.Should().Be(1.5);
    }

    [Fact]
    public void V1Files_HoldExactlyTheParametersOfTheirConstruction()
    {
        AssertSameParameters(Network<float>.Load(GoldenPath("v1-mlp.nnet")), GoldenModels.Mlp());
        AssertSameParameters(Network<double>.Load(GoldenPath("v1-all-layers-f64.nnet")), GoldenModels.AllLayers());
    }

    [Fact]
    public void V2Files_Load_AndGiveTheRecordedPredictions()
    {
        Network<float> mlp = Network<float>.Load(GoldenPath("v2-mlp.nnet"));
        Network<double> all = Network<double>.Load(GoldenPath("v2-all-layers-f64.nnet"));

        mlp.Predict(GoldenModels.Input<float>(4)).ToColumnMajorArray().Select(v => (double)v)
            .Should().Equal(MlpPredictions, (actual, expected) => Math.Abs(actual - expected) <= 1e-6);
        all.Predict(GoldenModels.Input<double>(3)).ToColumnMajorArray()
            .Should().Equal(AllLayersPredictions, (actual, expected) => Math.Abs(actual - expected) <= 1e-12);
    }

    [Fact]
    public void V2Regularization_Loads_WithItsStatisticsAndGeneratorState()
    {
        Network<double> network = Network<double>.Load(GoldenPath("v2-regularization-f64.nnet"));

        network.Predict(GoldenModels.Input<double>(3)).ToColumnMajorArray()
            .Should().Equal(RegularizationPredictions, (actual, expected) => Math.Abs(actual - expected) <= 1e-12);
        var dropout = network.Layers.OfType<Dropout<double>>().Single();
        dropout.Buffers[0].Words.ToArray().Should().Equal(new Dropout<double>(0.25, seed: 11).Buffers[0].Words.ToArray());
        AssertSameParameters(network, GoldenModels.Regularization());
    }

    [Fact]
    public void ThisVersion_StillWritesVersion2ByteForByte()
    {
        // If this fails the writer changed: bump the format version and add a new golden file instead of editing these.
        ModelFile.Serialize(GoldenModels.Mlp()).Should().Equal(File.ReadAllBytes(GoldenPath("v2-mlp.nnet")));
        ModelFile.Serialize(GoldenModels.AllLayers()).Should().Equal(File.ReadAllBytes(GoldenPath("v2-all-layers-f64.nnet")));
        ModelFile.Serialize(GoldenModels.Regularization()).Should().Equal(File.ReadAllBytes(GoldenPath("v2-regularization-f64.nnet")));
    }

    [Fact]
    public void V1AndV2Files_OfTheSameNetwork_LoadIdentically()
    {
        Network<double> v1 = Network<double>.Load(GoldenPath("v1-all-layers-f64.nnet"));
        Network<double> v2 = Network<double>.Load(GoldenPath("v2-all-layers-f64.nnet"));

        v1.Layers.Select(l => l.GetConfig()).Should().Equal(v2.Layers.Select(l => l.GetConfig()));
        AssertSameParameters(v1, v2);
    }

    private static void AssertSameParameters<T>(Network<T> loaded, Network<T> constructed)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        loaded.ToString().Should().Be(constructed.ToString());
        loaded.Parameters.Should().HaveSameCount(constructed.Parameters);
        for (int p = 0; p < loaded.Parameters.Count; p++)
        {
            loaded.Parameters[p].Value.ToColumnMajorArray().Should().Equal(constructed.Parameters[p].Value.ToColumnMajorArray());
        }
    }

    private static string GoldenPath(string name) => Path.Combine(AppContext.BaseDirectory, "Serialization", "Golden", name);
}
