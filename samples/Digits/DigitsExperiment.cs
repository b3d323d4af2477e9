using System.Globalization;
using NeuralNet;
using NeuralNet.Data;
using NeuralNet.Initializers;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Metrics;
using NeuralNet.Optimizers;
using NeuralNet.Training;

namespace Digits;

/// <summary>
/// The main sample: a 64-128-10 ReLU network trained with SGD and momentum on the UCI digits, with a seeded 80/20 split.
/// </summary>
public static class DigitsExperiment
{
    /// <summary>Trains, prints one line per epoch and the test confusion matrix, and ends with <c>test accuracy: 0.xxxx</c>.</summary>
    /// <param name="output">Where the report goes.</param>
    /// <param name="epochs">Number of epochs.</param>
    /// <param name="seed">Seed of the split, the initial weights and the shuffling.</param>
    /// <returns>The test accuracy.</returns>
    public static double Run(TextWriter output, int epochs = 30, int seed = 42)
    {
        (Dataset<float> train, Dataset<float> test) = DigitsData.Load().Split(0.8, seed);
        var random = new Random(seed);
        var network = new Network<float>(
            new Linear<float>(DigitsData.Pixels, 128, random, Initializer.HeNormal),
            new Relu<float>(),
            new Linear<float>(128, DigitsData.Classes, random));
        output.WriteLine(network);
        output.WriteLine(FormattableString.Invariant($"{train.Count} training and {test.Count} test samples"));

        var trainer = new Trainer<float>(
            network,
            new CrossEntropyLoss<float>(),
            new Sgd<float>(learningRate: 0.05, momentum: 0.9),
            new TrainerOptions { Epochs = epochs, BatchSize = 32, Seed = seed });
        trainer.Fit(train, progress: new LineProgress(output));

        int[] predicted = network.PredictClass(test.Features);
        var confusion = new ConfusionMatrix(test.Labels!, predicted, DigitsData.Classes);
        output.WriteLine();
        output.WriteLine(confusion);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"test accuracy: {confusion.Accuracy:F4}"));
        return confusion.Accuracy;
    }

    /// <summary>Writes each epoch's result as one line, synchronously.</summary>
    private sealed class LineProgress(TextWriter output) : IProgress<EpochResult>
    {
        public void Report(EpochResult value) => output.WriteLine(value);
    }
}
