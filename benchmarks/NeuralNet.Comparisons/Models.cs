using NeuralNet.Initializers;
using NeuralNet.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NeuralNet.Comparisons;

/// <summary>
/// The two networks of issue 10, built twice: as a NeuralNet <see cref="Network{T}"/> (seeded) and as the equivalent
/// TorchSharp module, into which the NeuralNet weights are copied so both compute the same function.
/// </summary>
internal static class Models
{
    /// <summary>Pixels of one Fashion-MNIST image.</summary>
    public const int Pixels = 28 * 28;

    /// <summary>
    /// The "small" CNN: Conv2d(1,32,3,p1) → ReLU → MaxPool 2 → Conv2d(32,64,3,p1) → ReLU → MaxPool 2 → Flatten →
    /// Linear(3136,128) → ReLU → Dropout 0.25 → Linear(128,10).
    /// </summary>
    public static Network<float> Cnn(int seed = 1)
    {
        var random = new Random(seed);
        return new Network<float>(Shape.Of(1, 28, 28),
            new Conv2d<float>(1, 32, 3, random, Initializer.HeNormal, padding: 1),
            new Relu<float>(),
            new MaxPool2d<float>(2),
            new Conv2d<float>(32, 64, 3, random, Initializer.HeNormal, padding: 1),
            new Relu<float>(),
            new MaxPool2d<float>(2),
            new Flatten<float>(),
            new Linear<float>(64 * 7 * 7, 128, random, Initializer.HeNormal),
            new Relu<float>(),
            new Dropout<float>(0.25, seed: seed + 1),
            new Linear<float>(128, 10, random));
    }

    /// <summary>The MLP of the issue 3 benchmarks (benchmarks/NeuralNet.Benchmarks/Mlp.cs): 784-256-128-10 ReLU.</summary>
    public static Network<float> Mlp(int seed = 1)
    {
        var random = new Random(seed);
        return new Network<float>(
            new Linear<float>(784, 256, random, Initializer.HeNormal),
            new Relu<float>(),
            new Linear<float>(256, 128, random, Initializer.HeNormal),
            new Relu<float>(),
            new Linear<float>(128, 10, random));
    }

    /// <summary>
    /// Gives every bias a small seeded non-zero value (NeuralNet starts biases at zero), so the output checks also
    /// prove that the biases are carried over to ONNX Runtime and TorchSharp.
    /// </summary>
    public static void PerturbBiases(Network<float> network, int seed)
    {
        var random = new Random(seed);
        foreach (Parameter<float> parameter in network.Parameters)
        {
            if (parameter.Name.Contains("bias", StringComparison.OrdinalIgnoreCase))
            {
                Span<float> values = parameter.ValueSpan;
                for (int i = 0; i < values.Length; i++)
                {
                    values[i] = (float)((random.NextDouble() - 0.5) * 0.1);
                }
            }
        }
    }

    /// <summary>The TorchSharp twin of <paramref name="network"/> (a CNN or MLP as built above), with its weights copied.</summary>
    public static Sequential ToTorch(Network<float> network)
    {
        var modules = new List<(string, nn.Module<Tensor, Tensor>)>();
        int index = 0;
        using (torch.no_grad())
        {
            foreach (ILayer<float> layer in network.Layers)
            {
                nn.Module<Tensor, Tensor> module = layer switch
                {
                    Conv2d<float> conv => CopyConv(conv),
                    Linear<float> linear => CopyLinear(linear),
                    Relu<float> => nn.ReLU(),
                    MaxPool2d<float> pool => nn.MaxPool2d(pool.KernelSize.Height, pool.Stride.Height),
                    Flatten<float> => nn.Flatten(),
                    Dropout<float> dropout => nn.Dropout(dropout.Probability),
                    _ => throw new NotSupportedException($"No TorchSharp twin for layer {layer}."),
                };
                modules.Add(($"{index++}", module));
            }
        }

        return nn.Sequential(modules);
    }

    private static Conv2d CopyConv(Conv2d<float> layer)
    {
        if (layer.Groups != 1 || layer.Stride.Height != layer.Stride.Width || layer.Pads.Top != layer.Pads.Left || layer.Pads.Top != layer.Pads.Bottom
            || layer.KernelSize.Height != layer.KernelSize.Width)
        {
            throw new NotSupportedException($"The comparison only copies square, symmetric, dense convolutions, not {layer}.");
        }

        Conv2d conv = nn.Conv2d(layer.InChannels, layer.OutChannels, layer.KernelSize.Height, stride: layer.Stride.Height,
            padding: layer.Pads.Top, bias: layer.HasBias);

        // NeuralNet keeps PyTorch's [C_out, C_in, k_h, k_w] weight in exactly that memory order.
        conv.weight!.copy_(torch.tensor(layer.Weights.AsColumnMajorArray() ?? layer.Weights.ToColumnMajorArray(),
            [layer.OutChannels, layer.InChannels, layer.KernelSize.Height, layer.KernelSize.Width]));
        if (layer.Bias is { } bias)
        {
            conv.bias!.copy_(torch.tensor(bias.ToColumnMajorArray(), [layer.OutChannels]));
        }

        return conv;
    }

    private static Linear CopyLinear(Linear<float> layer)
    {
        int outputs = layer.Weights.RowCount, inputs = layer.Weights.ColumnCount;
        Linear linear = nn.Linear(inputs, outputs);

        // W is outputs × inputs; PyTorch stores [out, in] row-major.
        linear.weight!.copy_(torch.tensor(layer.Weights.ToRowMajorArray(), [outputs, inputs]));
        linear.bias!.copy_(torch.tensor(layer.Bias.ToArray(), [outputs]));
        return linear;
    }
}
