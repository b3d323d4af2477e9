using System.Diagnostics;
using System.Globalization;
using NeuralNet;
using NeuralNet.Data;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Schedules;
using NeuralNet.Training;

namespace FashionMnistSample;

/// <summary>Trains a network on Fashion-MNIST (by default a CNN; <c>--model small</c> or <c>mlp</c> for the others) and reports test accuracy.</summary>
public static class Program
{
    /// <summary>Runs the sample; returns 0 on success or after <c>--help</c>, 1 on bad arguments, 2 when the data is missing.</summary>
    public static int Main(string[] args)
    {
        var clock = Stopwatch.StartNew();
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

        if (options.Limit > 0)
        {
            allTraining = First(allTraining, options.Limit);
            test = First(test, options.Limit);
        }

        (Dataset<float> training, Dataset<float>? validation) = options.ValidationFraction > 0
            ? allTraining.Split(1 - options.ValidationFraction, options.Seed)
            : (allTraining, null);
        // Augmentation with the library's transforms (TrainerOptions.Augmentation): per training batch, seeded. Shifts
        // fill with black, so with shifts the training images stay k/255 and the standardisation is the last transform
        // (torchvision's RandomCrop(padding), then Normalize); flips alone commute with the scaling.
        var augmentation = new List<ISampleTransform>();
        switch (options.Pixels)
        {
            case PixelScaling.PerPixel:
                // Statistics from the training part only; validation and test images are scaled with them.
                var scaler = new StandardScaler<float>();
                training = training.WithFeatures(scaler.FitTransform(training.Features));
                validation = validation?.WithFeatures(scaler.Transform(validation.Features));
                test = test.WithFeatures(scaler.Transform(test.Features));
                break;
            case PixelScaling.Global or PixelScaling.Unit:
                bool standardise = options.Pixels == PixelScaling.Global;
                float[] scaled = GlobalScaling.Fit(training.Features, standardise);
                if (options.Shift > 0)
                {
                    augmentation.Add(new RandomShift(options.Shift));
                }

                if (options.Flip)
                {
                    augmentation.Add(new RandomHorizontalFlip());
                }

                if (options.Shift > 0 && standardise)
                {
                    (double mean, double deviation) = GlobalScaling.Statistics(training.Features);
                    augmentation.Add(new NormalizeChannels([mean], [deviation]));
                    GlobalScaling.Apply(scaled, validation?.Features, test.Features);
                }
                else if (standardise)
                {
                    GlobalScaling.Apply(scaled, training.Features, validation?.Features, test.Features);
                }

                break;
        }

        Network<float> network = Models.Build(options, new Random(options.Seed));
        var trainer = new Trainer<float>(
            network,
            new CrossEntropyLoss<float>(labelSmoothing: options.LabelSmoothing),
            new Sgd<float>(options.LearningRate, momentum: options.Momentum, weightDecay: options.WeightDecay),
            new TrainerOptions
            {
                Epochs = options.Epochs,
                BatchSize = options.BatchSize,
                Seed = options.Seed,
                Augmentation = augmentation,

                // η_e = η₀·(1 + cos(π·(e − 1)/E))/2: from η₀ towards 0, so the last epochs settle into a minimum.
                Schedule = options.CosineDecay ? new CosineAnnealingSchedule(options.Epochs) : null,
            });
        Console.WriteLine(network);
        Console.WriteLine(Describe(options, training, validation, test));

        TrainingHistory history = EpochProgress.Run(trainer, training, validation, options.Epochs);

        int[] predicted = network.PredictClass(test.Features);   // chunked inside: holds no intermediate for all 10,000 at once
        var confusion = new NeuralNet.Metrics.ConfusionMatrix(test.Labels!, predicted, FashionMnist.ClassNames);
        Console.WriteLine();
        Console.WriteLine(confusion);
        TrainingPlot.Save(history, confusion.Accuracy, options.Plot);
        Console.WriteLine($"plot: {Path.GetFullPath(options.Plot)}");
        using var process = Process.GetCurrentProcess();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"wall time {clock.Elapsed.TotalSeconds:F1} s (CPU {process.TotalProcessorTime.TotalSeconds:F1} s, {Environment.ProcessorCount} cores), peak working set {process.PeakWorkingSet64 / (1024.0 * 1024):F0} MB"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"test accuracy: {confusion.Accuracy:F4}"));
        return 0;
    }

    private static Dataset<float> First(Dataset<float> data, int count) =>
        count >= data.Count ? data : data.Subset([.. Enumerable.Range(0, count)]);

    private static string Describe(Options options, Dataset<float> training, Dataset<float>? validation, Dataset<float> test)
    {
        var recipe = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture, $"SGD lr {options.LearningRate}{(options.CosineDecay ? " with cosine decay" : string.Empty)}, momentum {options.Momentum}, weight decay {options.WeightDecay}, batch {options.BatchSize}, {options.Epochs} epochs"),
        };
        if (options.Model != ModelKind.Mlp)
        {
            recipe.Add($"{Options.Display(options.Pixels)} pixels");
            if (options.LabelSmoothing > 0)
            {
                recipe.Add(string.Create(CultureInfo.InvariantCulture, $"label smoothing {options.LabelSmoothing}"));
            }

            if (options.Shift > 0 || options.Flip)
            {
                string[] kinds = [.. new[] { options.Shift > 0 ? $"shifts ±{options.Shift} px" : null, options.Flip ? "flips" : null }.OfType<string>()];
                recipe.Add($"augmentation: {string.Join(", ", kinds)}");
            }
        }

        string sets = validation is null
            ? $"{training.Count} training, {test.Count} test images"
            : $"{training.Count} training, {validation.Count} validation, {test.Count} test images";
        return $"{string.Join("; ", recipe)}; {sets}";
    }
}
