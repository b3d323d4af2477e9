using System.Globalization;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet;
using NeuralNet.Data;
using NeuralNet.Initializers;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Metrics;
using NeuralNet.Optimizers;
using NeuralNet.Samples;
using NeuralNet.Training;

namespace RegressionSample;

/// <summary>Predicts diabetes progression from 10 standardised features with a small MLP and a mean-squared-error loss.</summary>
public static class Program
{
    /// <summary>Runs the sample; returns 0 on success or after <c>--help</c>, 1 on bad arguments.</summary>
    public static int Main(string[] args)
    {
        int epochs = 100;
        int seed = 1;
        string plotPath = "regression-scatter.png";
        var commandLine = new CommandLine("Regression", "Predicts diabetes progression one year ahead with a 10-16-1 MLP and mean squared error.")
            .Option("--epochs", "N", $"passes over the training set (default {epochs})", v => epochs = CommandLine.Positive("--epochs", v))
            .Option("--seed", "N", $"seed of the 80/20 split, the initial weights and the shuffles (default {seed})", v => seed = CommandLine.Integer("--seed", v))
            .Option("--plot", "FILE", $"predicted-vs-actual scatter PNG (default {plotPath})", v => plotPath = CommandLine.NonEmpty("--plot", v));
        if (commandLine.Parse(args) is int exit)
        {
            return exit;
        }

        // 1. Data: a seeded 80/20 split; the scalers learn their statistics from the training part only.
        Dataset<double> all = DiabetesData.Load();
        (Dataset<double> trainRaw, Dataset<double> testRaw) = all.Split(0.8, seed);
        var featureScaler = new StandardScaler<double>();
        var targetScaler = new StandardScaler<double>();
        var train = Dataset<double>.ForRegression(featureScaler.FitTransform(trainRaw.Features), targetScaler.FitTransform(trainRaw.Targets!));
        var test = Dataset<double>.ForRegression(featureScaler.Transform(testRaw.Features), targetScaler.Transform(testRaw.Targets!));
        Console.WriteLine($"diabetes: {all.Count} patients × {all.FeatureCount} features; {train.Count} training, {test.Count} test");

        // 2. Model: one small hidden layer, Identity output, mean squared error.
        var random = new Random(seed);
        var network = new Network<double>(
            new Linear<double>(all.FeatureCount, 16, random, Initializer.HeNormal),
            new Relu<double>(),
            new Linear<double>(16, 1, random),
            new Identity<double>());
        var trainer = new Trainer<double>(
            network,
            new MeanSquaredErrorLoss<double>(),
            new Sgd<double>(0.002, momentum: 0.9, weightDecay: 0.01),
            new TrainerOptions { Epochs = epochs, BatchSize = 32, Seed = seed });
        Console.WriteLine(network);
        TrainingHistory history = trainer.Fit(train);
        Console.WriteLine($"training loss (standardised units) after {history.Count} epochs: {history.Last.TrainingLoss.ToString("F4", CultureInfo.InvariantCulture)}");

        // 3. Evaluate in the original units: undo the target scaling of the predictions.
        Matrix<double> predicted = targetScaler.InverseTransform(network.Predict(test.Features));
        Matrix<double> actual = testRaw.Targets!;
        double mse = Regression.MeanSquaredError(actual, predicted);
        double mae = Regression.MeanAbsoluteError(actual, predicted);
        double r2 = Regression.RSquared(actual, predicted);
        ScatterPlot.Save([.. actual.Row(0)], [.. predicted.Row(0)], r2, plotPath);
        Console.WriteLine($"plot: {Path.GetFullPath(plotPath)}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"test MSE: {mse:F1}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"test MAE: {mae:F1}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"test R²: {r2:F4}"));
        return 0;
    }
}
