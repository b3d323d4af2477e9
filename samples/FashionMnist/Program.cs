using System.Globalization;
using NeuralNet;
using NeuralNet.Data;
using NeuralNet.Initializers;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Schedules;
using NeuralNet.Training;

namespace FashionMnistSample;

/// <summary>Trains a multilayer perceptron on Fashion-MNIST and reports test accuracy.</summary>
public static class Program
{
    /// <summary>Runs the sample; returns 0 on success or after <c>--help</c>, 1 on bad arguments, 2 when the data is missing.</summary>
    public static int Main(string[] args)
    {
        (Options options, int? exit) = Options.Parse(args);
        if (exit is int code)
        {
            return code;
        }

        string? directory = DataLocation.Find(options.DataDirectory);
        if (directory is null)
        {
            Console.Error.WriteLine(DataLocation.HowToGet(options.DataDirectory));
            return 2;
        }

        Console.WriteLine($"Loading Fashion-MNIST from {directory}");
        Dataset<float> allTraining, test;
        try
        {
            (allTraining, test) = FashionMnist.Load<float>(directory);
        }
        catch (Exception error) when (error is DataFileException or IOException)
        {
            Console.Error.WriteLine(error.Message);
            return 2;
        }

        (Dataset<float> training, Dataset<float> validation) = allTraining.Split(1 - options.ValidationFraction, options.Seed);
        if (options.Standardize)
        {
            // Statistics from the training part only; validation and test images are scaled with them.
            var scaler = new StandardScaler<float>();
            training = training.WithFeatures(scaler.FitTransform(training.Features));
            validation = validation.WithFeatures(scaler.Transform(validation.Features));
            test = test.WithFeatures(scaler.Transform(test.Features));
        }

        Network<float> network = BuildNetwork(options.Hidden, options.Dropout, new Random(options.Seed));
        var trainer = new Trainer<float>(
            network,
            new CrossEntropyLoss<float>(),
            new Sgd<float>(options.LearningRate, momentum: options.Momentum, weightDecay: options.WeightDecay),
            new TrainerOptions
            {
                Epochs = options.Epochs,
                BatchSize = options.BatchSize,
                Seed = options.Seed,

                // η_e = η₀·(1 + cos(π·(e − 1)/E))/2: from η₀ towards 0, so the last epochs settle into a minimum.
                Schedule = options.CosineDecay ? new CosineAnnealingSchedule(options.Epochs) : null,
            });
        Console.WriteLine(network);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"SGD lr {options.LearningRate}{(options.CosineDecay ? " with cosine decay" : string.Empty)}, momentum {options.Momentum}, weight decay {options.WeightDecay}, batch {options.BatchSize}, {options.Epochs} epochs; {training.Count} training, {validation.Count} validation, {test.Count} test images"));

        TrainingHistory history = EpochProgress.Run(trainer, training, validation, options.Epochs);

        int[] predicted = network.PredictClass(test.Features);
        var confusion = new NeuralNet.Metrics.ConfusionMatrix(test.Labels!, predicted, FashionMnist.ClassNames);
        Console.WriteLine();
        Console.WriteLine(confusion);
        TrainingPlot.Save(history, confusion.Accuracy, options.Plot);
        Console.WriteLine($"plot: {Path.GetFullPath(options.Plot)}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"test accuracy: {confusion.Accuracy:F4}"));
        return 0;
    }

    /// <summary>784 → hidden… → 10: Linear layers with He-normal weights, ReLU (and dropout, if asked) between them, logits out.</summary>
    private static Network<float> BuildNetwork(int[] hiddenWidths, double dropout, Random random)
    {
        var layers = new List<ILayer<float>>();
        int width = FashionMnist.FeatureCount;
        foreach (int hidden in hiddenWidths)
        {
            layers.Add(new Linear<float>(width, hidden, random, Initializer.HeNormal));
            layers.Add(new Relu<float>());
            if (dropout > 0)
            {
                layers.Add(new Dropout<float>(dropout, random.Next()));
            }

            width = hidden;
        }

        layers.Add(new Linear<float>(width, FashionMnist.ClassNames.Count, random, Initializer.HeNormal));
        return new Network<float>(layers);
    }
}
