using NeuralNet.Data;
using NeuralNet.Layers;
using NeuralNet.Serialization;
using NeuralNet.Training;
using static NeuralNet.Tests.Training.ImageProblems;

namespace NeuralNet.Tests.Training;

/// <summary><see cref="TrainerOptions.Augmentation"/> in the trainer: reproducible, training only, resumable bit for bit.</summary>
public sealed class AugmentationTrainingTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("nnet-augmentation-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    /// <summary>The samples the network trains on: the augmentation, then a transform that records its output.</summary>
    private static (IReadOnlyList<float[]> Batches, int[] Weights) Run(int seed, bool background, ISampleTransform[]? augmentation = null)
    {
        var recorder = new RecordingTransform();
        Network<float> network = Mlp();
        TrainerOptions options = Options(background) with { Seed = seed, Augmentation = [.. augmentation ?? Augmentation(), recorder] };
        Trainer(network, options).Fit(Images());
        return (recorder.Samples, Bits(network));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Fit_SameSeed_GivesTheSameAugmentedSamplesAndBitIdenticalWeights(bool background)
    {
        var first = Run(seed: 3, background);
        var second = Run(seed: 3, background);

        first.Batches.Should().HaveCount(3 * 50);
        second.Batches.Should().BeEquivalentTo(first.Batches, o => o.WithStrictOrdering());
        second.Weights.Should().Equal(first.Weights);
    }

    [Fact]
    public void Fit_DifferentSeed_GivesOtherAugmentedSamples()
    {
        var first = Run(seed: 3, background: true);
        var second = Run(seed: 4, background: true);

        // The seed also reshuffles; compare the sets of samples an epoch sees, which only augmentation changes.
        static HashSet<string> Epoch(IReadOnlyList<float[]> samples) => [.. samples.Take(50).Select(s => string.Join(",", s))];
        var unaugmented = Run(seed: 3, background: true, augmentation: []);
        var unaugmentedOther = Run(seed: 4, background: true, augmentation: []);
        Epoch(unaugmented.Batches).SetEquals(Epoch(unaugmentedOther.Batches)).Should().BeTrue("without augmentation both seeds see the same samples");
        Epoch(first.Batches).SetEquals(Epoch(second.Batches)).Should().BeFalse();
        second.Weights.Should().NotEqual(first.Weights);
    }

    [Fact]
    public void Fit_Augmentation_ChangesTheSamplesAndTheWeights()
    {
        var plain = Run(seed: 3, background: false, augmentation: [new NormalizeChannels([100.0], [80.0])]);
        var augmented = Run(seed: 3, background: false);

        int changed = plain.Batches.Zip(augmented.Batches).Count(pair => !pair.First.SequenceEqual(pair.Second));
        changed.Should().BeGreaterThan(100, "most of 150 samples are shifted or flipped (a sample is unchanged with chance 1/9 · 1/2)");
        augmented.Weights.Should().NotEqual(plain.Weights);
    }

    [Fact]
    public void Fit_AugmentedSamples_AreTheGatheredSamplesShiftedAndFlipped()
    {
        // Each recorded sample, before scaling, must be one of the 18 shifts and flips of some training image.
        Dataset<float> images = Images();
        var originals = Enumerable.Range(0, images.Count).Select(j => images.Features.Column(j).ToArray()).ToList();
        var raw = Run(seed: 3, background: true, augmentation: [new RandomShift(1), new RandomHorizontalFlip()]);

        var variants = new HashSet<string>();
        foreach (float[] original in originals)
        {
            for (int dy = -1; dy <= 1; dy++)
            {
                for (int dx = -1; dx <= 1; dx++)
                {
                    for (int flip = 0; flip < 2; flip++)
                    {
                        float[] image = [.. original];
                        new RandomShift(1).Apply<float>(image, ImageShape, NeuralNet.Tests.Data.TransformBits.Shift(dy, dx, 1));
                        new RandomHorizontalFlip(flip).Apply<float>(image, ImageShape, 0);
                        variants.Add(string.Join(",", image));
                    }
                }
            }
        }

        raw.Batches.Should().OnlyContain(sample => variants.Contains(string.Join(",", sample)));
    }

    [Fact]
    public void Fit_Augmentation_IsNotAppliedToValidationData()
    {
        var recorder = new RecordingTransform();
        var trainer = Trainer(Mlp(), Options(background: true) with { Augmentation = [recorder] });

        trainer.Fit(Images(), validation: Images(count: 20, seed: 2));

        recorder.Samples.Should().HaveCount(3 * 50, "every training sample of every epoch, and no validation sample");
    }

    [Fact]
    public void Fit_ShiftOnVectorSamples_ThrowsBeforeTrainingNamingTheTransformAndShape()
    {
        var random = new Random(1);
        var network = new Network<float>(new Linear<float>(36, 3, random));
        int[] before = Bits(network);

        Action fit = () => Trainer(network, Options(background: true)).Fit(Images());

        fit.Should().Throw<ArgumentException>().WithMessage("*RandomShift(1)*(36)*Shape.Of(1, 28, 28)*");
        Bits(network).Should().Equal(before);
    }

    [Fact]
    public void Fit_VectorNetworkOnASampleFileOfImages_TakesTheImageShapeFromTheFile()
    {
        string path = Path.Combine(directory, "images.samples");
        SampleFile<float>.Write(path, Images(), ImageShape);
        using var file = new SampleFile<float>(path);
        var random = new Random(1);

        TrainingHistory history = Trainer(new Network<float>(new Linear<float>(36, 3, random)), Options(background: true)).Fit(file);

        history.Should().HaveCount(3);
    }

    [Theory]
    [InlineData(false, 1)]
    [InlineData(true, 1)]
    [InlineData(true, 2)]
    public void Resume_AugmentedRunInterruptedAfterEpochK_GivesBitIdenticalWeightsToTheUninterruptedRun(bool background, int k)
    {
        TrainerOptions options = Options(background) with { Epochs = 4 };
        Network<float> uninterrupted = Cnn();
        Trainer(uninterrupted, options).Fit(Images());

        string path = Path.Combine(directory, $"run-{background}-{k}.ckpt");
        Network<float> interrupted = Cnn();
        using (var cancellation = new CancellationTokenSource())
        {
            Trainer<float> first = Trainer(interrupted, options with { CheckpointPath = path });
            first.Callbacks.Add(new EpochHook(epoch =>
            {
                if (epoch == k)
                {
                    cancellation.Cancel();
                }
            }));
            Action fit = () => first.Fit(Images(), cancellationToken: cancellation.Token);
            fit.Should().Throw<OperationCanceledException>();
        }

        Bits(interrupted).Should().NotEqual(Bits(uninterrupted), "the interrupted run stopped after epoch {0}", k);
        Network<float> resumed = Cnn(seed: 99);
        Trainer(resumed, options).Resume(Checkpoint<float>.Load(path), Images());

        Bits(resumed).Should().Equal(Bits(uninterrupted));
    }

    [Fact]
    public void Resume_OtherAugmentation_GivesOtherWeights()
    {
        TrainerOptions options = Options(background: true) with { Epochs = 4 };
        Network<float> uninterrupted = Cnn();
        Trainer(uninterrupted, options).Fit(Images());
        string path = Path.Combine(directory, "guard.ckpt");
        Trainer(Cnn(), options with { Epochs = 2, CheckpointPath = path }).Fit(Images());

        Network<float> resumed = Cnn(seed: 99);
        Trainer(resumed, options with { Augmentation = [new NormalizeChannels([100.0], [80.0])] }).Resume(Checkpoint<float>.Load(path), Images());

        Bits(resumed).Should().NotEqual(Bits(uninterrupted));
    }
}

/// <summary>Runs an action at every epoch end.</summary>
internal sealed class EpochHook(Action<int> onEpochEnd) : ITrainingCallback<float>
{
    public void OnEpochEnd(TrainingContext<float> context) => onEpochEnd(context.Epoch);
}
