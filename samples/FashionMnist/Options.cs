using System.Globalization;

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

    public const string Usage = """
        Trains a multilayer perceptron on Fashion-MNIST.
        usage: FashionMnist [--data DIR] [--epochs N] [--batch N] [--lr X] [--momentum X] [--weight-decay X] [--hidden 512,256]
                            [--dropout P] [--constant-lr] [--unit-pixels] [--validation X] [--seed N] [--plot FILE]
          --data DIR       folder with the four IDX files (default /usr/share/datasets/fashion-mnist,
                           then ../shared/data/fashion-mnist next to the repository)
          --epochs N       passes over the training set (default 30)
          --batch N        minibatch size (default 64)
          --lr X           initial SGD learning rate, decayed to 0 along a cosine (default 0.05)
          --constant-lr    keep the learning rate constant instead
          --unit-pixels    feed pixels scaled to [0, 1] instead of standardising each pixel with the
                           training split's mean and deviation (the default)
          --momentum X     SGD momentum (default 0.9)
          --weight-decay X L2 penalty added to the gradient as X·θ (default 0.0005)
          --hidden A,B     hidden layer widths, ReLU, He initialisation (default 512,256)
          --dropout P      dropout probability after each hidden ReLU (default 0.2; 0 for none)
          --validation X   fraction of the training set held out for validation (default 1/12 = 5,000 images)
          --seed N         seed of the initial weights, the split and the shuffles (default 1)
          --plot FILE      PNG of loss and accuracy per epoch (default fashion-mnist-training.png)
        """;

    /// <summary>Parses the arguments; throws <see cref="ArgumentException"/> with the offending option.</summary>
    public static Options Parse(IReadOnlyList<string> args)
    {
        var options = new Options();
        for (int i = 0; i < args.Count; i++)
        {
            string name = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{name} needs a value.");
            options = name switch
            {
                "--data" => options with { DataDirectory = Value() },
                "--epochs" => options with { Epochs = Positive(name, Value()) },
                "--batch" => options with { BatchSize = Positive(name, Value()) },
                "--lr" => options with { LearningRate = Number(name, Value()) },
                "--momentum" => options with { Momentum = Number(name, Value()) },
                "--weight-decay" => options with { WeightDecay = Number(name, Value()) },
                "--hidden" => options with { Hidden = [.. Value().Split(',').Select(w => Positive(name, w))] },
                "--validation" => options with { ValidationFraction = Number(name, Value()) },
                "--dropout" => options with { Dropout = Number(name, Value()) },
                "--unit-pixels" => options with { Standardize = false },
                "--constant-lr" => options with { CosineDecay = false },
                "--seed" => options with { Seed = int.Parse(Value(), CultureInfo.InvariantCulture) },
                "--plot" => options with { Plot = Value() },
                _ => throw new ArgumentException($"unknown option {name}."),
            };
        }

        return options;
    }

    private static int Positive(string name, string text) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) && value > 0
            ? value
            : throw new ArgumentException($"{name} needs a positive integer, not '{text}'.");

    private static double Number(string name, string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && double.IsFinite(value)
            ? value
            : throw new ArgumentException($"{name} needs a number, not '{text}'.");
}
