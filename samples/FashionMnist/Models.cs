using System.Numerics;
using NeuralNet;
using NeuralNet.Data;
using NeuralNet.Initializers;
using NeuralNet.Layers;

namespace FashionMnistSample;

/// <summary>The networks the sample can train.</summary>
internal static class Models
{
    public static Network<float> Build(Options options, Random random) => options.Model switch
    {
        ModelKind.Mlp => Mlp(options.Hidden, options.Dropout, random),
        _ => Cnn(options, random, options.TorchInit ? PyTorchDefaultInitializer.Instance : Initializer.HeNormal),
    };

    /// <summary>784 → hidden… → 10: Linear layers with He-normal weights, ReLU (and dropout, if asked) between them, logits out.</summary>
    public static Network<float> Mlp(int[] hiddenWidths, double dropout, Random random)
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

    /// <summary>
    /// (1, 28, 28) → per width c: Conv2d 3×3 padding 1 (→ BatchNorm2d) → ReLU → MaxPool 2×2; then Flatten → per hidden
    /// width: Linear → ReLU → Dropout; → Linear to the 10 logits. With widths 32,64 and hidden 128 and no batch norm
    /// this is TorchSharp's reference network "small".
    /// </summary>
    public static Network<float> Cnn(Options options, Random random, IWeightInitializer initializer)
    {
        var layers = new List<ILayer<float>>();
        int channels = 1, size = 28;
        foreach (int width in options.Channels)
        {
            // A convolution followed by batch normalization needs no bias: the normalization's shift replaces it.
            layers.Add(new Conv2d<float>(channels, width, 3, random, initializer, padding: 1, bias: !options.BatchNorm));
            if (options.BatchNorm)
            {
                layers.Add(new BatchNorm2d<float>(width));
            }

            layers.Add(new Relu<float>());
            layers.Add(new MaxPool2d<float>(2));
            channels = width;
            size /= 2;
        }

        layers.Add(new Flatten<float>());
        int features = channels * size * size;
        foreach (int hidden in options.Hidden)
        {
            layers.Add(new Linear<float>(features, hidden, random, initializer));
            layers.Add(new Relu<float>());
            if (options.Dropout > 0)
            {
                layers.Add(new Dropout<float>(options.Dropout, random.Next()));
            }

            features = hidden;
        }

        layers.Add(new Linear<float>(features, FashionMnist.ClassNames.Count, random, initializer));
        return new Network<float>(Shape.Of(1, 28, 28), layers);
    }

    /// <summary>
    /// PyTorch's default weights for <c>nn.Conv2d</c> and <c>nn.Linear</c> (<c>kaiming_uniform_(a=√5)</c>):
    /// uniform in ±1/√fan_in, so that "small" starts as TorchSharp's does (the biases start at 0 here).
    /// </summary>
    internal sealed class PyTorchDefaultInitializer : IWeightInitializer
    {
        public static PyTorchDefaultInitializer Instance { get; } = new();

        public string Name => "PyTorchDefault";

        public void Initialize<T>(Span<T> weights, int fanIn, int fanOut, Random random)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            double bound = 1 / Math.Sqrt(fanIn);
            for (int i = 0; i < weights.Length; i++)
            {
                weights[i] = T.CreateChecked(((random.NextDouble() * 2) - 1) * bound);
            }
        }
    }
}
