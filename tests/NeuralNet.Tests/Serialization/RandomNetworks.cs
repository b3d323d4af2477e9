using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Layers;
using NeuralNet.Tests.Layers;

namespace NeuralNet.Tests.Serialization;

/// <summary>
/// Seeded random networks of every layer kind, for the save/load properties and the model-file fuzz tests: layer
/// configurations start from the layer cases every layer's test file declares (<see cref="ILayerCases"/>), so a new
/// layer kind is covered as soon as it has one; settings are redrawn within and at the edges of their range (whatever
/// the constructor refuses is skipped), parameters get random values (special ones included) and buffers random
/// contents (some of which <c>Save</c> refuses).
/// </summary>
internal static class RandomNetworks
{
    /// <summary>One configuration per layer case, keyed by kind; every kind the library registers has at least one.</summary>
    public static readonly IReadOnlyList<LayerConfig> Configs = DiscoverConfigs();

    /// <summary>The kinds <see cref="Configs"/> covers.</summary>
    public static IReadOnlyList<string> Kinds => [.. Configs.Select(c => c.Kind).Distinct().Order(StringComparer.Ordinal)];

    /// <summary>
    /// A chain of 1 to <paramref name="maxLayers"/> layers whose shapes fit, starting from a random input shape, with random
    /// parameters and buffers. <paramref name="mustHold"/>, when given, is the kind of the first layer. With
    /// <paramref name="storeShapedInputs"/>, a network whose input samples are not vectors (images, matrices) always
    /// stores its input shape, as one exported to ONNX must for the graph input to declare its rank.
    /// </summary>
    public static Network<T> Create<T>(Random random, int maxLayers = 5, string? mustHold = null, bool storeShapedInputs = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int attempt = 0; ; attempt++)
        {
            Shape input = random.Next(5) switch
            {
                0 => Shape.Vector(1 + random.Next(8)),
                1 => Shape.Of(1 + random.Next(3), 1 + random.Next(3)),
                2 or 3 => Shape.Of(1 + random.Next(3), 2 + random.Next(5), 2 + random.Next(5)),
                _ => Shape.Vector(random.Next(2) == 0 ? 3 : 5),
            };
            int length = 1 + random.Next(maxLayers);
            var layers = new List<ILayer<T>>();
            Shape current = input;
            for (int tries = 0; layers.Count < length && tries < 200; tries++)
            {
                LayerConfig[] pool = mustHold is not null && layers.Count == 0 ? [.. Configs.Where(c => c.Kind == mustHold)] : [.. Configs];
                LayerConfig config = Redraw(pool[random.Next(pool.Length)], current, random);
                ILayer<T> layer;
                Shape next;
                try
                {
                    layer = LayerRegistry.Create<T>(config);
                    next = layer.GetOutputShape(current);
                }
                catch (ArgumentException)
                {
                    continue;
                }

                Randomize(layer, random);
                layers.Add(layer);
                current = next;
            }

            if (layers.Count > 0)
            {
                // Half the networks store their input shape; the others leave it to the layers (rank 0 when none fixes it).
                return random.Next(2) == 0 || (storeShapedInputs && input.Rank > 1) ? new Network<T>(input, layers) : TryInferred(input, layers);
            }

            if (attempt > 100)
            {
                throw new InvalidOperationException($"No layer of kind {mustHold} fits any input shape tried.");
            }
        }
    }

    /// <summary>A seeded finite input for <paramref name="network"/>: its input shape, or <paramref name="fallback"/> rows when it has none.</summary>
    public static Matrix<T> Input<T>(Network<T> network, int fallback, Random random)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Matrix<T>.Build.Dense(network.InputSize ?? fallback, 1 + random.Next(4), (_, _) => T.CreateTruncating((random.NextDouble() * 8) - 4));

    /// <summary>A value of <typeparamref name="T"/>: mostly ordinary, sometimes tiny, denormal, huge, ±0, ±∞ or NaN (with a payload).</summary>
    public static T Value<T>(Random random)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int pick = random.Next(100);
        if (pick < 90)
        {
            return T.CreateTruncating((random.NextDouble() * 4) - 2);
        }

        if (pick < 95)
        {
            // Any bit pattern: NaN payloads, denormals, infinities and huge values included.
            return typeof(T) == typeof(float)
                ? T.CreateTruncating(BitConverter.Int32BitsToSingle(random.Next() ^ (random.Next(2) << 31)))
                : T.CreateTruncating(BitConverter.Int64BitsToDouble(random.NextInt64() ^ ((long)random.Next(2) << 63)));
        }

        return (pick - 95) switch
        {
            0 => T.NegativeZero,
            1 => T.CreateTruncating(typeof(T) == typeof(float) ? float.Epsilon : double.Epsilon),
            2 => -T.CreateTruncating(typeof(T) == typeof(float) ? float.MaxValue : double.MaxValue),
            3 => T.NaN,
            _ => T.PositiveInfinity,
        };
    }

    /// <summary>Fills every parameter and buffer with random contents (generator states: random words, rarely all zero).</summary>
    public static void Randomize<T>(ILayer<T> layer, Random random)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        foreach (Parameter<T> parameter in layer.Parameters)
        {
            Span<T> values = parameter.ValueSpan;
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = Value<T>(random);
            }
        }

        foreach (LayerBuffer<T> buffer in layer.Buffers)
        {
            Span<T> values = buffer.Values.Span;
            for (int i = 0; i < values.Length; i++)
            {
                T v = random.Next(20) == 0 ? Value<T>(random) : T.CreateTruncating(random.NextDouble() * 3);
                values[i] = buffer.Rule == LayerBufferRule.FiniteNonNegative && random.Next(20) != 0 ? T.Abs(v) : v;
            }

            Span<ulong> words = buffer.Words.Span;
            bool zero = random.Next(50) == 0;
            for (int i = 0; i < words.Length; i++)
            {
                words[i] = zero ? 0 : (ulong)random.NextInt64() ^ ((ulong)random.Next(2) << 63);
            }
        }
    }

    /// <summary>
    /// The configuration with every setting redrawn: numbers within, at and beyond the edges of typical ranges, integers
    /// mostly equal to the size of the current shape (so shape-tied settings such as <c>inputs</c> fit), flags and texts kept.
    /// </summary>
    private static LayerConfig Redraw(LayerConfig config, Shape current, Random random)
    {
        var redrawn = new LayerConfig(config.Kind);
        foreach (KeyValuePair<string, LayerSetting> setting in config.Settings)
        {
            LayerSetting value = setting.Value;
            redrawn.With(setting.Key, value.Kind switch
            {
                LayerSettingKind.Number => LayerSetting.FromNumber(random.Next(12) switch
                {
                    0 => value.Number,
                    1 => 1,
                    2 => 1e-300,
                    3 => 1e300,
                    4 => -0.0,
                    5 => random.NextDouble() * 1e-6,
                    6 => BitConverter.Int64BitsToDouble(0x3FEFFFFFFFFFFFFF), // the largest double below 1
                    7 => -random.NextDouble(),
                    _ => random.NextDouble(),
                }),
                LayerSettingKind.Integer => LayerSetting.FromInteger(random.Next(3) switch
                {
                    0 => 1 + random.Next(8),
                    1 when current.Rank == 3 => current[0], // channels of an image
                    _ => current.Size,
                }),
                _ => value,
            });
        }

        return redrawn;
    }

    private static Network<T> TryInferred<T>(Shape input, List<ILayer<T>> layers)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        try
        {
            var network = new Network<T>(layers);
            return network.InputShape is null || network.InputShape == input ? network : new Network<T>(input, layers);
        }
        catch (ArgumentException)
        {
            return new Network<T>(input, layers);
        }
    }

    private static List<LayerConfig> DiscoverConfigs()
    {
        List<LayerConfig> configs = [.. typeof(RandomNetworks).Assembly.GetTypes()
            .Where(t => typeof(ILayerCases).IsAssignableFrom(t) && t.IsClass && !t.IsAbstract)
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .SelectMany(t => ((ILayerCases)Activator.CreateInstance(t)!).Cases)
            .Select(c => c.Create().GetConfig())];
        string[] library = [.. LayerRegistry.Kinds.Where(k => LayerRegistry.GetLayerType(k).Assembly == typeof(ILayer<>).Assembly)];
        library.Except(configs.Select(c => c.Kind)).Should().BeEmpty("every layer kind of the library has a layer case");
        return configs;
    }
}
