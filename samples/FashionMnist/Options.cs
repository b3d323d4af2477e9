using System.Globalization;
using NeuralNet.Samples;

namespace FashionMnistSample;

/// <summary>The command line of the sample; the defaults are the documented recipe.</summary>
internal sealed record Options
{
    public string? DataDirectory { get; init; }

    public int Epochs { get; init; } = 30;

    public int BatchSize { get; init; } = 64;

    public double LearningRate { get; init; } = 0.05;

    public double Momentum { get; init; } = 0.9;

    public double WeightDecay { get; init; } = 5e-4;

    public int[] Hidden { get; init; } = [512, 256];

    public double ValidationFraction { get; init; } = 1.0 / 12;

    public bool CosineDecay { get; init; } = true;

    public double Dropout { get; init; } = 0.2;

    public bool Standardize { get; init; } = true;

    public int Seed { get; init; } = 1;

    public string Plot { get; init; } = "fashion-mnist-training.png";

    /// <summary>
    /// Parses the arguments. <c>Exit</c> is <see langword="null"/> to run, or the exit code after <c>--help</c> (0,
    /// usage on standard output) or a bad argument (1, the error and the usage on standard error).
    /// </summary>
    public static (Options Options, int? Exit) Parse(IReadOnlyList<string> args)
    {
        var defaults = new Options();
        var options = defaults;
        string D(object value) => string.Create(CultureInfo.InvariantCulture, $"(default {value})");
        var commandLine = new CommandLine("FashionMnist", "Trains a multilayer perceptron on Fashion-MNIST.")
            .Option("--data", "DIR", "folder with the four IDX files (default /usr/share/datasets/fashion-mnist,\nthen ../shared/data/fashion-mnist next to the repository)", v => options = options with { DataDirectory = v })
            .Option("--epochs", "N", $"passes over the training set {D(defaults.Epochs)}", v => options = options with { Epochs = CommandLine.Positive("--epochs", v) })
            .Option("--batch", "N", $"minibatch size {D(defaults.BatchSize)}", v => options = options with { BatchSize = CommandLine.Positive("--batch", v) })
            .Option("--lr", "X", $"initial SGD learning rate, decayed to 0 along a cosine {D(defaults.LearningRate)}", v => options = options with { LearningRate = CommandLine.Number("--lr", v) })
            .Flag("--constant-lr", "keep the learning rate constant instead (default: cosine decay)", () => options = options with { CosineDecay = false })
            .Flag("--unit-pixels", "feed pixels scaled to [0, 1] instead of standardising each pixel with the\ntraining split's mean and deviation (the default)", () => options = options with { Standardize = false })
            .Option("--momentum", "X", $"SGD momentum {D(defaults.Momentum)}", v => options = options with { Momentum = CommandLine.Number("--momentum", v) })
            .Option("--weight-decay", "X", $"L2 penalty added to the gradient as X·θ {D(defaults.WeightDecay)}", v => options = options with { WeightDecay = CommandLine.Number("--weight-decay", v) })
            .Option("--hidden", "A,B", $"hidden layer widths, ReLU, He initialisation {D(string.Join(',', defaults.Hidden))}", v => options = options with { Hidden = [.. v.Split(',').Select(w => CommandLine.Positive("--hidden", w))] })
            .Option("--dropout", "P", $"dropout probability after each hidden ReLU (default {defaults.Dropout.ToString(CultureInfo.InvariantCulture)}; 0 for none)", v => options = options with { Dropout = CommandLine.Number("--dropout", v) })
            .Option("--validation", "X", "fraction of the training set held out for validation (default 1/12 = 5,000 images)", v => options = options with { ValidationFraction = CommandLine.Number("--validation", v) })
            .Option("--seed", "N", $"seed of the initial weights, the split and the shuffles {D(defaults.Seed)}", v => options = options with { Seed = CommandLine.Integer("--seed", v) })
            .Option("--plot", "FILE", $"PNG of loss and accuracy per epoch {D(defaults.Plot)}", v => options = options with { Plot = CommandLine.NonEmpty("--plot", v) });
        int? exit = commandLine.Parse(args);
        return (options, exit);
    }
}
