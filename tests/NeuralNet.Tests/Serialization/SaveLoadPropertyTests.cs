using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Layers;
using NeuralNet.Optimizers;
using NeuralNet.Serialization;

namespace NeuralNet.Tests.Serialization;

/// <summary>
/// The save/load property over seeded random networks of every layer kind (<see cref="RandomNetworks"/>): every network
/// or checkpoint that <c>Save</c> accepts loads back equal — the same input shape, layer configurations, parameter bits,
/// buffer bits and bit-identical predictions — in float and in double; and what <c>Save</c> refuses, it refuses with
/// the documented exception before writing anything.
/// </summary>
public sealed class SaveLoadPropertyTests
{
    [Fact(Timeout = 120_000)]
    public async Task Save_RandomNetworksOfEveryKindInFloat_LoadBackEqual() => await Task.Run(() => RoundTrips<float>(seed: 1));

    [Fact(Timeout = 120_000)]
    public async Task Save_RandomNetworksOfEveryKindInDouble_LoadBackEqual() => await Task.Run(() => RoundTrips<double>(seed: 2));

    [Fact(Timeout = 120_000)]
    public async Task CheckpointSave_RandomNetworksAndOptimizerStatesInFloat_LoadBackEqual() => await Task.Run(() => CheckpointRoundTrips<float>(seed: 3));

    [Fact(Timeout = 120_000)]
    public async Task CheckpointSave_RandomNetworksAndOptimizerStatesInDouble_LoadBackEqual() => await Task.Run(() => CheckpointRoundTrips<double>(seed: 4));

    [Fact]
    public void TheEqualityCheck_NoticesOneChangedBitAnywhere()
    {
        var random = new Random(5);
        Network<float> network = RandomNetworks.Create<float>(random, mustHold: "batch_norm_1d");
        Network<float> copy = Reload(network);
        Differences(network, copy, random).Should().BeEmpty();

        copy.Layers[0].Buffers[0].Values.Span[0] = MathF.BitIncrement(copy.Layers[0].Buffers[0].Values.Span[0]);
        copy.Layers[0].Parameters[0].ValueSpan[0] = MathF.BitIncrement(copy.Layers[0].Parameters[0].ValueSpan[0]);

        Differences(network, copy, random).Should().HaveCountGreaterThanOrEqualTo(2);
    }

    private static void RoundTrips<T>(int seed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(seed);
        var saved = new HashSet<string>();
        int refused = 0;
        for (int trial = 0; trial < 1000; trial++)
        {
            Network<T> network = RandomNetworks.Create<T>(random, mustHold: RandomNetworks.Kinds[trial % RandomNetworks.Kinds.Count]);
            using var file = new MemoryStream();
            try
            {
                network.Save(file);
            }
            catch (InvalidOperationException e)
            {
                // A buffer the loader would refuse (NaN statistics, a negative variance, an all-zero generator state).
                e.Message.Should().Contain("cannot be saved");
                file.Length.Should().Be(0, "a refused save writes nothing");
                refused++;
                continue;
            }

            file.Position = 0;
            Network<T> loaded = Network<T>.Load(file);
            Differences(network, loaded, random).Should().BeEmpty($"trial {trial}: {Describe(network)}");
            saved.UnionWith(network.Layers.Select(l => l.GetConfig().Kind));
        }

        saved.Should().BeEquivalentTo(RandomNetworks.Kinds, "every kind must have been saved and loaded");
        refused.Should().BeInRange(1, 500, "some random buffers break their rule, most do not");
    }

    private static void CheckpointRoundTrips<T>(int seed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(seed);
        int saved = 0, refused = 0;
        for (int trial = 0; trial < 400; trial++)
        {
            Network<T> network = RandomNetworks.Create<T>(random, mustHold: RandomNetworks.Kinds[trial % RandomNetworks.Kinds.Count]);
            IOptimizer<T> optimizer = RandomOptimizer<T>(random);
            OptimizerState<T> state = RandomState(optimizer, network, random);
            byte[] trainerState = new byte[random.Next(64)];
            random.NextBytes(trainerState);
            int epoch = random.Next(4) == 0 ? int.MaxValue : random.Next(1000);
            var checkpoint = new Checkpoint<T>(network, state, epoch, trainerState);
            using var file = new MemoryStream();
            try
            {
                checkpoint.Save(file);
            }
            catch (InvalidOperationException e)
            {
                e.Message.Should().Contain("cannot be saved");
                file.Length.Should().Be(0);
                continue;
            }

            file.Position = 0;
            Checkpoint<T> loaded = Checkpoint<T>.Load(file);

            string where = $"trial {trial}: {Describe(network)}, {optimizer}";
            Differences(network, loaded.Network, random).Should().BeEmpty(where);
            loaded.Epoch.Should().Be(epoch, where);
            loaded.RandomState.ToArray().Should().Equal(trainerState, where);
            StateBits(loaded.OptimizerState).Should().Equal(StateBits(state), where);

            // Restored into a fresh network and optimizer, it gives back the same state and predictions; a state no step
            // produces (NaN, ±∞, a negative second moment) is refused before anything changes.
            Network<T> fresh = RebuildEmpty(network);
            IOptimizer<T> restored = Recreate(optimizer);
            if (IsReachable(state))
            {
                loaded.RestoreInto(fresh, restored);
                Differences(network, fresh, random).Should().BeEmpty(where);
                StateBits(restored.GetState(fresh.Parameters)).Should().Equal(StateBits(state), where);
                saved++;
            }
            else
            {
                Network<T> untouched = RebuildEmpty(network);
                FluentActions.Invoking(() => loaded.RestoreInto(fresh, restored)).Should().Throw<ArgumentException>(where).WithMessage("*buffer*must be finite*");
                Differences(untouched, fresh, random).Should().BeEmpty(where);
                refused++;
            }
        }

        saved.Should().BeGreaterThan(100);
        refused.Should().BeGreaterThan(10);
    }

    /// <summary>Every way <paramref name="loaded"/> differs from <paramref name="original"/>, by bits.</summary>
    private static List<string> Differences<T>(Network<T> original, Network<T> loaded, Random random)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var differences = new List<string>();
        if (!Equals(original.InputShape, loaded.InputShape))
        {
            differences.Add($"input shape {original.InputShape} vs {loaded.InputShape}");
        }

        if (original.Layers.Count != loaded.Layers.Count)
        {
            differences.Add($"{original.Layers.Count} layers vs {loaded.Layers.Count}");
            return differences;
        }

        for (int i = 0; i < original.Layers.Count; i++)
        {
            ILayer<T> a = original.Layers[i];
            ILayer<T> b = loaded.Layers[i];
            if (a.GetType() != b.GetType() || !a.GetConfig().Equals(b.GetConfig()))
            {
                differences.Add($"layer {i}: {a.GetConfig()} vs {b.GetConfig()}");
                continue;
            }

            for (int p = 0; p < a.Parameters.Count; p++)
            {
                if (a.Parameters[p].Name != b.Parameters[p].Name || !Bits<T>(a.Parameters[p].ValueSpan).SequenceEqual(Bits<T>(b.Parameters[p].ValueSpan)))
                {
                    differences.Add($"layer {i} parameter {a.Parameters[p].Name}");
                }
            }

            for (int k = 0; k < a.Buffers.Count; k++)
            {
                LayerBuffer<T> x = a.Buffers[k], y = b.Buffers[k];
                if (x.Name != y.Name || !Bits<T>(x.Values.Span).SequenceEqual(Bits<T>(y.Values.Span)) || !x.Words.Span.SequenceEqual(y.Words.Span))
                {
                    differences.Add($"layer {i} buffer {x.Name}");
                }
            }
        }

        Matrix<T> input = RandomNetworks.Input(original, 5, random);
        bool predicted = TryPredict(original, input, out long[]? expected);
        if (predicted != TryPredict(loaded, input, out long[]? actual) || (predicted && !expected!.SequenceEqual(actual!)))
        {
            int at = predicted && actual is not null ? Enumerable.Range(0, expected!.Length).First(k => expected[k] != actual[k]) : -1;
            differences.Add(at < 0 ? "predictions differ (one threw)" : $"predictions differ at {at}: bits {expected![at]:X} vs {actual![at]:X}");
        }

        return differences;
    }

    /// <summary>Predicts, or reports that the network cannot take a sample of that size (an activation-only network without shape).</summary>
    private static bool TryPredict<T>(Network<T> network, Matrix<T> input, out long[]? bits)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        try
        {
            bits = Bits<T>(DenseValues(network.Predict(input)));
            return true;
        }
        catch (ArgumentException)
        {
            bits = null;
            return false;
        }
    }

    private static T[] DenseValues<T>(Matrix<T> matrix)
        where T : unmanaged, IFloatingPointIeee754<T> => matrix.ToColumnMajorArray();

    private static long[] Bits<T>(ReadOnlySpan<T> values)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var bits = new long[values.Length];
        for (int i = 0; i < bits.Length; i++)
        {
            bits[i] = typeof(T) == typeof(float)
                ? BitConverter.SingleToInt32Bits(float.CreateTruncating(values[i]))
                : BitConverter.DoubleToInt64Bits(double.CreateTruncating(values[i]));
        }

        return bits;
    }

    private static Network<T> Reload<T>(Network<T> network)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        using var file = new MemoryStream();
        network.Save(file);
        file.Position = 0;
        return Network<T>.Load(file);
    }

    /// <summary>The same layers (by configuration) with fresh parameters and buffers, as a resumed run builds them.</summary>
    private static Network<T> RebuildEmpty<T>(Network<T> network)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        new(network.InputShape, network.Layers.Select(l => LayerRegistry.Create<T>(l.GetConfig())));

    private static IOptimizer<T> RandomOptimizer<T>(Random random)
        where T : unmanaged, IFloatingPointIeee754<T> => random.Next(5) switch
        {
            0 => new Sgd<T>(0.1),
            1 => new Sgd<T>(0.1, momentum: 0.9, nesterov: true),
            2 => new Adam<T>(),
            3 => new AdamW<T>(),
            _ => new RmsProp<T>(momentum: 0.5, centered: true),
        };

    private static IOptimizer<T> Recreate<T>(IOptimizer<T> optimizer)
        where T : unmanaged, IFloatingPointIeee754<T> => optimizer switch
        {
            Sgd<T> sgd => new Sgd<T>(sgd.LearningRate, sgd.Momentum, sgd.Nesterov),
            AdamW<T> => new AdamW<T>(),
            Adam<T> => new Adam<T>(),
            _ => new RmsProp<T>(momentum: 0.5, centered: true),
        };

    /// <summary>Whether a step could have produced the state: every value finite, second moments and square averages ≥ 0.</summary>
    private static bool IsReachable<T>(OptimizerState<T> state)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        state.Buffers.All(b => b.All(e => e.Value.All(v => T.IsFinite(v) && !(e.Key is "secondMoment" or "squareAverage" && v < T.Zero))));

    /// <summary>The optimizer's own state shape (its buffer names and lengths, after one step) with random contents and step count.</summary>
    private static OptimizerState<T> RandomState<T>(IOptimizer<T> optimizer, Network<T> network, Random random)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        optimizer.Step(network.Parameters);
        OptimizerState<T> shape = optimizer.GetState(network.Parameters);
        IReadOnlyDictionary<string, T[]>[] buffers = [.. shape.Buffers.Select(b => (IReadOnlyDictionary<string, T[]>)b.ToDictionary(
            e => e.Key, e => e.Value.Select(_ => RandomNetworks.Value<T>(random)).ToArray(), StringComparer.Ordinal))];
        long steps = random.Next(3) switch
        {
            0 => 0,
            1 => long.MaxValue,
            _ => random.NextInt64(1, 1_000_000),
        };
        return new OptimizerState<T>(steps, buffers);
    }

    private static string[] StateBits<T>(OptimizerState<T> state)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        [
            $"steps {state.StepCount}",
            .. state.Buffers.SelectMany((b, p) => b.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{p}/{e.Key}: {string.Join(",", Bits<T>(e.Value))}")),
        ];

    private static string Describe<T>(Network<T> network)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        $"input {network.InputShape?.ToString() ?? "(none)"}, {string.Join(" · ", network.Layers.Select(l => l.GetConfig()))}";
}
