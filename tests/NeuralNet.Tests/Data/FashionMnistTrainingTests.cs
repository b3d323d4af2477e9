using NeuralNet.Data;
using NeuralNet.Initializers;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Metrics;
using NeuralNet.Optimizers;
using NeuralNet.Tests.Samples;
using NeuralNet.Training;
using Xunit.Abstractions;

namespace NeuralNet.Tests.Data;

/// <summary>End to end on real data: the full Fashion-MNIST training set, two epochs, judged on the 10,000 test images.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class FashionMnistTrainingTests(ITestOutputHelper output)
{
    [FashionMnistFact]
    public void Train_TwoEpochsOfSgdWithMomentum_Reach84PercentTestAccuracy()
    {
        (Dataset<float> training, Dataset<float> test) = FashionMnist.Load<float>(FashionMnistData.Directory ?? FashionMnistData.DebianDirectory);
        training.Count.Should().Be(60_000);
        test.Count.Should().Be(10_000);

        var random = new Random(1);
        var network = new Network<float>(
            new Linear<float>(784, 256, random, Initializer.HeNormal),
            new Relu<float>(),
            new Linear<float>(256, 128, random, Initializer.HeNormal),
            new Relu<float>(),
            new Linear<float>(128, 10, random, Initializer.HeNormal));
        var optimizer = new Sgd<float>(0.05, momentum: 0.9);
        var trainer = new Trainer<float>(network, new CrossEntropyLoss<float>(), optimizer, new TrainerOptions { Epochs = 2, BatchSize = 64, Seed = 1 });

        // A smaller step in the second epoch settles the weights (the sample's cosine schedule does the same over more epochs).
        trainer.Fit(training, progress: new AfterEpoch(_ => optimizer.LearningRate = 0.01));

        double accuracy = Classification.Accuracy(test.Labels!, network.PredictClass(test.Features));
        output.WriteLine($"test accuracy after 2 epochs: {accuracy:F4}");
        accuracy.Should().BeGreaterThanOrEqualTo(0.84);
    }

    private sealed class AfterEpoch(Action<EpochResult> action) : IProgress<EpochResult>
    {
        public void Report(EpochResult value) => action(value);
    }
}
