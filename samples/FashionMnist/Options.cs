using System.Globalization;
using NeuralNet.Samples;

namespace FashionMnistSample;

/// <summary>The network the sample trains.</summary>
internal enum ModelKind
{
    /// <summary>The default: the network of <see cref="Small"/> trained on randomly mirrored images with label smoothing 0.1 (see <see cref="Models.Cnn"/>).</summary>
    Cnn,

    /// <summary>The TorchSharp reference network "small" with its recipe, for comparing accuracy and speed.</summary>
    Small,

    /// <summary>The multilayer perceptron of the first release, unchanged.</summary>
    Mlp,
}

/// <summary>How the pixels are scaled before they enter the network.</summary>
internal enum PixelScaling
{
    /// <summary>Pixels in [0, 1] as read.</summary>
    Unit,

    /// <summary>Each pixel standardised with its own mean and deviation over the training split (the MLP's default).</summary>
    PerPixel,

    /// <summary>All pixels standardised with one mean and deviation over the training split (the CNNs' default).</summary>
    Global,
}

/// <summary>The command line of the sample; the defaults of each model are its documented recipe.</summary>
internal sealed record Options
{
    public ModelKind Model { get; init; } = ModelKind.Cnn;

    public string? DataDirectory { get; init; }

    public int Epochs { get; init; }

    public int BatchSize { get; init; } = 64;

    public double LearningRate { get; init; } = 0.05;

    public double Momentum { get; init; } = 0.9;

    public double WeightDecay { get; init; } = 5e-4;

    /// <summary>Widths of the hidden Linear layers (for the CNNs: after the convolutions).</summary>
    public int[] Hidden { get; init; } = [];

    /// <summary>Output channels of the convolution blocks (CNN and small).</summary>
    public int[] Channels { get; init; } = [];

    public bool BatchNorm { get; init; }

    /// <summary>CNNs: PyTorch's default weights (uniform ±1/√fan_in) instead of He-normal ones.</summary>
    public bool TorchInit { get; init; }

    public double ValidationFraction { get; init; } = 1.0 / 12;

    public bool CosineDecay { get; init; } = true;

    public double Dropout { get; init; }

    public double LabelSmoothing { get; init; }

    /// <summary>Largest random shift in pixels of the sample-local augmentation; 0 for none.</summary>
    public int Shift { get; init; }

    public bool Flip { get; init; }

    public PixelScaling Pixels { get; init; }

    /// <summary>Trains and tests on the first N images of each set only (quick checks); 0 for all.</summary>
    public int Limit { get; init; }

    public int Seed { get; init; } = 1;

    public string Plot { get; init; } = "fashion-mnist-training.png";

    /// <summary>The recipe of each model: the defaults the options start from.</summary>
    public static Options DefaultsFor(ModelKind model) => model switch
    {
        ModelKind.Mlp => new Options { Model = model, Epochs = 30, Hidden = [512, 256], Dropout = 0.2, Pixels = PixelScaling.PerPixel },
        ModelKind.Small => new Options { Model = model, TorchInit = true, Epochs = 15, Channels = [32, 64], Hidden = [128], Dropout = 0.25, Pixels = PixelScaling.Global, ValidationFraction = 0 },
        _ => new Options { Model = model, TorchInit = true, Epochs = 15, Channels = [32, 64], Hidden = [128], Dropout = 0.25, Pixels = PixelScaling.Global, ValidationFraction = 0, Flip = true, LabelSmoothing = 0.1 },
    };

    /// <summary>
    /// Parses the arguments. <c>Exit</c> is <see langword="null"/> to run, or the exit code after <c>--help</c> (0,
    /// usage on standard output) or a bad argument (1, the error and the usage on standard error).
    /// </summary>
    public static (Options Options, int? Exit) Parse(IReadOnlyList<string> args)
    {
        // The model decides the other defaults, so it is read first; --help then shows that model's defaults.
        ModelKind model = ModelKind.Cnn;
        for (int i = 0; i + 1 < args.Count; i++)
        {
            if (args[i] == "--model" && TryModel(args[i + 1], out ModelKind chosen))
            {
                model = chosen;
            }
        }

        var defaults = DefaultsFor(model);
        var options = defaults;
        bool cnn = model != ModelKind.Mlp;
        string D(object value) => string.Create(CultureInfo.InvariantCulture, $"(default {value})");
        string name = model.ToString().ToLowerInvariant();
        var commandLine = new CommandLine(
            "FashionMnist",
            $"Trains a network on Fashion-MNIST: by default a CNN, or with --model the TorchSharp reference \"small\" or\nthe multilayer perceptron. Defaults shown are those of --model {name}; `--model X --help` shows another's.")
            .Option("--model", "NAME", $"cnn (two conv blocks, mirrored images, label smoothing), small (the\nTorchSharp reference recipe: the same network, no augmentation) or mlp\n(the multilayer perceptron) {D(name)}", v => options = options with { Model = TryModel(v, out ModelKind m) ? m : throw new ArgumentException($"--model needs cnn, small or mlp, not '{v}'.") })
            .Option("--data", "DIR", "folder with the four IDX files (default /usr/share/datasets/fashion-mnist,\nthen ../shared/data/fashion-mnist next to the repository)", v => options = options with { DataDirectory = v })
            .Option("--epochs", "N", $"passes over the training set {D(defaults.Epochs)}", v => options = options with { Epochs = CommandLine.Positive("--epochs", v) })
            .Option("--batch", "N", $"minibatch size {D(defaults.BatchSize)}", v => options = options with { BatchSize = CommandLine.Positive("--batch", v) })
            .Option("--lr", "X", $"initial SGD learning rate, decayed to 0 along a cosine {D(defaults.LearningRate)}", v => options = options with { LearningRate = CommandLine.Number("--lr", v) })
            .Flag("--constant-lr", "keep the learning rate constant instead (default: cosine decay)", () => options = options with { CosineDecay = false })
            .Option("--pixels", "HOW", $"unit (pixels in [0, 1]), per-pixel (each pixel standardised with the\ntraining split's mean and deviation) or global (one mean and deviation\nfor all pixels) {D(Display(defaults.Pixels))}", v => options = options with { Pixels = Scaling(v) })
            .Flag("--unit-pixels", "the same as --pixels unit", () => options = options with { Pixels = PixelScaling.Unit })
            .Option("--momentum", "X", $"SGD momentum {D(defaults.Momentum)}", v => options = options with { Momentum = CommandLine.Number("--momentum", v) })
            .Option("--weight-decay", "X", $"L2 penalty added to the gradient as X·θ {D(defaults.WeightDecay)}", v => options = options with { WeightDecay = CommandLine.Number("--weight-decay", v) })
            .Option("--hidden", "A,B", (cnn ? "hidden Linear layer widths after the convolutions, each with ReLU and\ndropout " : "hidden layer widths, ReLU, He initialisation ") + D(string.Join(',', defaults.Hidden)), v => options = options with { Hidden = [.. v.Split(',').Select(w => CommandLine.Positive("--hidden", w))] })
            .Option("--channels", "A,B", $"CNN only: output channels of the 3×3 convolution blocks, each followed by\na 2×2 max pool {(cnn ? D(string.Join(',', defaults.Channels)) : "(default 32,64)")}", v => options = options with { Channels = [.. v.Split(',').Select(w => CommandLine.Positive("--channels", w))] })
            .Flag("--batch-norm", $"CNN only: BatchNorm2d after each convolution (default: {(defaults.BatchNorm ? "on" : "off")})", () => options = options with { BatchNorm = true })
            .Flag("--no-batch-norm", "CNN only: no batch normalization", () => options = options with { BatchNorm = false })
            .Option("--init", "NAME", $"CNN only: initial weights, torch (PyTorch's default for Conv2d and Linear:\nuniform in ±1/√fan_in) or he (He-normal) {D(defaults.TorchInit ? "torch" : "he")}", v => options = options with { TorchInit = v switch { "torch" => true, "he" => false, _ => throw new ArgumentException($"--init needs torch or he, not '{v}'.") } })
            .Option("--dropout", "P", $"dropout probability after each hidden ReLU (default {defaults.Dropout.ToString(CultureInfo.InvariantCulture)}; 0 for none)", v => options = options with { Dropout = CommandLine.Number("--dropout", v) })
            .Option("--label-smoothing", "X", $"cross-entropy label smoothing in [0, 1) {D(defaults.LabelSmoothing)}", v => options = options with { LabelSmoothing = CommandLine.Number("--label-smoothing", v) })
            .Option("--shift", "N", $"augmentation: each epoch, shift every training image by a random whole\nnumber of pixels in [−N, N] both ways (0 for none) {D(defaults.Shift)}", v => options = options with { Shift = CommandLine.Integer("--shift", v) })
            .Flag("--flip", $"augmentation: each epoch, mirror a random half of the training images\n(default: {(defaults.Flip ? "on" : "off")})", () => options = options with { Flip = true })
            .Flag("--no-flip", "augmentation: no mirroring", () => options = options with { Flip = false })
            .Option("--validation", "X", $"fraction of the training set held out for validation; 0 trains on all\n60,000 images {(defaults.ValidationFraction == 0 ? "(default 0)" : "(default 1/12 = 5,000 images)")}", v => options = options with { ValidationFraction = CommandLine.Number("--validation", v) })
            .Option("--limit", "N", "use only the first N training and N test images (quick checks; default: all)", v => options = options with { Limit = CommandLine.Positive("--limit", v) })
            .Option("--seed", "N", $"seed of the initial weights, the split, the shuffles and the augmentation\n{D(defaults.Seed)}", v => options = options with { Seed = CommandLine.Integer("--seed", v) })
            .Option("--plot", "FILE", $"PNG of loss and accuracy per epoch {D(defaults.Plot)}", v => options = options with { Plot = CommandLine.NonEmpty("--plot", v) });
        int? exit = commandLine.Parse(args);
        if (exit is null)
        {
            try
            {
                options.Check();
            }
            catch (ArgumentException error)
            {
                Console.Error.WriteLine(error.Message);
                Console.Error.Write(commandLine.Usage);
                return (options, 1);
            }
        }

        return (options, exit);
    }

    private void Check()
    {
        if (ValidationFraction is < 0 or >= 1)
        {
            throw new ArgumentException($"--validation needs a fraction in [0, 1), not '{ValidationFraction.ToString(CultureInfo.InvariantCulture)}'.");
        }

        if (Model == ModelKind.Mlp && (Shift != 0 || Flip || BatchNorm))
        {
            throw new ArgumentException("--shift, --flip and --batch-norm are for the CNNs (--model cnn or small), not the MLP.");
        }

        if ((Shift != 0 || Flip) && Pixels == PixelScaling.PerPixel)
        {
            throw new ArgumentException("--shift and --flip move pixels, which per-pixel scaling ties to their place: use --pixels global or unit with them.");
        }

        if (Model != ModelKind.Mlp && Channels.Length == 0)
        {
            throw new ArgumentException("--channels needs at least one width.");
        }

        if (Shift is < 0 or > 8)
        {
            throw new ArgumentException($"--shift needs a whole number of pixels in [0, 8], not '{Shift}'.");
        }

        if (LabelSmoothing is < 0 or >= 1)
        {
            throw new ArgumentException($"--label-smoothing needs a number in [0, 1), not '{LabelSmoothing.ToString(CultureInfo.InvariantCulture)}'.");
        }
    }

    private static bool TryModel(string text, out ModelKind model)
    {
        (bool known, model) = text switch
        {
            "cnn" => (true, ModelKind.Cnn),
            "small" => (true, ModelKind.Small),
            "mlp" => (true, ModelKind.Mlp),
            _ => (false, ModelKind.Cnn),
        };
        return known;
    }

    private static PixelScaling Scaling(string text) => text switch
    {
        "unit" => PixelScaling.Unit,
        "per-pixel" => PixelScaling.PerPixel,
        "global" => PixelScaling.Global,
        _ => throw new ArgumentException($"--pixels needs unit, per-pixel or global, not '{text}'."),
    };

    public static string Display(PixelScaling pixels) => pixels switch
    {
        PixelScaling.Unit => "unit",
        PixelScaling.PerPixel => "per-pixel",
        _ => "global",
    };
}
