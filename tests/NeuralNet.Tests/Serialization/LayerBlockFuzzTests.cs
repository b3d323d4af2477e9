using System.Buffers.Binary;
using System.Numerics;
using System.Text;
using NeuralNet.Layers;
using NeuralNet.Serialization;
using Setting = NeuralNet.Tests.Serialization.EditableModelFile.Setting;
using Tensor = NeuralNet.Tests.Serialization.EditableModelFile.Tensor;

namespace NeuralNet.Tests.Serialization;

/// <summary>
/// Seeded edits of the version-2 layer block — setting type codes and values (numbers, integers, flags, texts, integer
/// lists), setting, parameter and buffer names, types, shapes and lengths, entries added, removed, swapped or
/// duplicated, counts that disagree — in files holding every layer kind, float and double, each written back with every
/// length and the checksum recomputed so the edit reaches the layer parser. A file must then load or throw
/// <see cref="ModelFormatException"/> and nothing else, allocating at most <see cref="AllocationBudget"/>; a single edit
/// that makes the block wrong must be refused; and a file that loads is exactly what <c>Save</c> writes for the network
/// it loads as (no setting, entry or byte is silently ignored).
/// </summary>
public sealed class LayerBlockFuzzTests
{
    private const long AllocationBudget = 2_000_000;

    /// <summary>The kinds of <see cref="RandomNetworks.Configs"/> whose layers have no settings, parameters or buffers.</summary>
    private static readonly HashSet<string> EmptyBlockKinds = [.. RandomNetworks.Configs
        .Where(c => c.Settings.Count == 0 && LayerRegistry.Create<float>(c) is { Parameters.Count: 0, Buffers.Count: 0 })
        .Select(c => c.Kind)];

    [Fact(Timeout = 120_000)]
    public async Task LayerBlockEdits_InFloatFiles_LoadCanonicallyOrThrowModelFormatException() => await Task.Run(() => Fuzz<float>(seed: 11, trials: 4000));

    [Fact(Timeout = 120_000)]
    public async Task LayerBlockEdits_InDoubleFiles_LoadCanonicallyOrThrowModelFormatException() => await Task.Run(() => Fuzz<double>(seed: 12, trials: 4000));

    [Fact]
    public void TheEditor_WritesAnUneditedFileBackByteForByte()
    {
        var random = new Random(13);
        foreach (string kind in RandomNetworks.Kinds)
        {
            byte[] file = SavedFile<float>(random, kind);
            EditableModelFile.Parse(file, 4).ToBytes().Should().Equal(file, kind);
        }
    }

    [Fact]
    public void Load_ASettingTheLayerDoesNotHave_IsRefusedNamingIt()
    {
        using var stream = new MemoryStream();
        new Network<float>(Shape.Vector(3), new NeuralNet.Layers.Elu<float>(0.5)).Save(stream);
        EditableModelFile file = EditableModelFile.Parse(stream.ToArray(), 4);
        file.Layers[0].Settings.Add(new Setting("beta"u8.ToArray(), 1, BitConverter.GetBytes(2.0)));

        Action load = () => Network<float>.Load(new MemoryStream(file.ToBytes()));

        load.Should().Throw<ModelFormatException>().WithMessage("*layer 0 (elu)*beta*");
    }

    [Fact]
    public void Load_SettingsInAnotherOrder_AreRefused()
    {
        using var stream = new MemoryStream();
        new Network<float>(new NeuralNet.Layers.BatchNorm1d<float>(3, momentum: 0.2)).Save(stream);
        EditableModelFile file = EditableModelFile.Parse(stream.ToArray(), 4);
        file.Layers[0].Settings.Reverse();

        Action load = () => Network<float>.Load(new MemoryStream(file.ToBytes()));

        load.Should().Throw<ModelFormatException>().WithMessage("*layer 0 (batch_norm_1d)*another order*");
    }

    [Fact]
    public void TheEmptyBlockKinds_AreTheActivationsFlattenAndGlobalAvgPool()
    {
        EmptyBlockKinds.Should().Contain(["relu", "sigmoid", "tanh", "identity", "softplus", "gelu", "silu", "hard_sigmoid", "softmax", "flatten", "global_avg_pool_2d"]);
        EmptyBlockKinds.Should().NotContain(["linear", "conv2d", "max_pool_2d", "batch_norm_2d", "elu", "leaky_relu"]);
    }
    private static void Fuzz<T>(int seed, int trials)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int elementSize = typeof(T) == typeof(float) ? 4 : 8;
        var random = new Random(seed);
        var failures = new List<string>();
        int loaded = 0, refused = 0;
        for (int trial = 0; trial < trials && failures.Count < 20; trial++)
        {
            byte[] original = SavedFile<T>(random, RandomNetworks.Kinds[trial % RandomNetworks.Kinds.Count]);
            EditableModelFile file = EditableModelFile.Parse(original, elementSize);
            (bool mustReject, string edit) = Edit(file, random, elementSize);
            if (random.Next(4) == 0)
            {
                // Two edits can cancel out (a setting removed, then the kind changed to one without settings), so only
                // the canonical-file property judges them.
                (_, string more) = Edit(file, random, elementSize);
                (mustReject, edit) = (false, $"{edit}; {more}");
            }

            byte[] bytes = file.ToBytes();
            string what = $"trial {trial} ({typeof(T).Name}): {edit}";
            long before = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                Network<T> network = Network<T>.Load(new MemoryStream(bytes, writable: false));
                loaded++;
                if (mustReject)
                {
                    failures.Add($"{what}: loaded, but the block is wrong");
                }

                using var again = new MemoryStream();
                network.Save(again);
                if (!again.ToArray().AsSpan().SequenceEqual(bytes))
                {
                    failures.Add($"{what}: loaded, but Save writes another file for the network it loaded as (something was ignored)");
                }
            }
            catch (ModelFormatException)
            {
                refused++;
            }
            catch (Exception e)
            {
                failures.Add($"{what}: {e.GetType().Name}: {e.Message}");
            }

            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            if (allocated > AllocationBudget)
            {
                failures.Add($"{what}: allocated {allocated:N0} bytes for a {bytes.Length:N0}-byte file");
            }
        }

        string.Join(Environment.NewLine, failures).Should().BeEmpty();
        refused.Should().BeGreaterThan(trials / 2, "most edits break the block");
        loaded.Should().BeGreaterThan(trials / 50, "some edits (a new weight, a valid new setting value) are legitimate");
    }

    /// <summary>A saved random network whose first layer is of <paramref name="kind"/> (networks Save refuses are redrawn).</summary>
    private static byte[] SavedFile<T>(Random random, string kind)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        while (true)
        {
            Network<T> network = RandomNetworks.Create<T>(random, maxLayers: 3, mustHold: kind);
            using var stream = new MemoryStream();
            try
            {
                network.Save(stream);

                // The budget measures what a damaged block makes the loader allocate; a file that alone takes half of
                // it (a wide random convolution) would measure its own size, so such a network is drawn again.
                if (stream.Length <= AllocationBudget / 2)
                {
                    return stream.ToArray();
                }
            }
            catch (InvalidOperationException)
            {
            }
        }
    }

    /// <summary>One random edit of a random layer's block; returns whether the edited block is certainly wrong.</summary>
    internal static (bool MustReject, string Edit) Edit(EditableModelFile file, Random random, int elementSize)
    {
        int index = random.Next(file.Layers.Count);
        EditableModelFile.Layer layer = file.Layers[index];
        string where = $"layer {index} ({Encoding.ASCII.GetString(layer.Kind)})";
        switch (random.Next(14))
        {
            case 0 when layer.Settings.Count > 0:
            {
                // A type code, the value bytes kept: another known type (the layer expects another) or an unknown one.
                int s = random.Next(layer.Settings.Count);
                byte type = (byte)Pick(random, 0, 1, 2, 3, 4, 5, 6, 7, 128, 255);
                Setting old = layer.Settings[s];
                layer.Settings[s] = old with { Type = type };
                return (type != old.Type, $"{where} setting '{Text(old.Name)}' type {old.Type} → {type}");
            }

            case 1 when layer.Settings.Count > 0:
            {
                // A new value of a random type: the layer expects one type, so another type is wrong.
                int s = random.Next(layer.Settings.Count);
                (Setting value, string description) = RandomValue(random);
                Setting old = layer.Settings[s];
                layer.Settings[s] = value with { Name = old.Name };
                return (value.Type != old.Type, $"{where} setting '{Text(old.Name)}' = {description}");
            }

            case 2 when layer.Settings.Count > 0:
            {
                int s = random.Next(layer.Settings.Count);
                (byte[] name, bool valid) = RandomName(random);
                Setting old = layer.Settings[s];
                layer.Settings[s] = old with { Name = name };
                return (!name.AsSpan().SequenceEqual(old.Name), $"{where} setting '{Text(old.Name)}' renamed '{Text(name)}'{(valid ? string.Empty : " (invalid)")}");
            }

            case 3:
            {
                // A setting the layer does not have: a file that stores it does not describe the layer it builds.
                (Setting value, string description) = RandomValue(random);
                (byte[] name, _) = RandomName(random);
                bool existing = layer.Settings.Any(s => s.Name.AsSpan().SequenceEqual(name));
                layer.Settings.Insert(random.Next(layer.Settings.Count + 1), value with { Name = name });
                return (true, $"{where} extra setting '{Text(name)}' = {description}{(existing ? " (a duplicate name)" : string.Empty)}");
            }

            case 4 when layer.Settings.Count > 0:
            {
                int s = random.Next(layer.Settings.Count);
                string name = Text(layer.Settings[s].Name);
                if (random.Next(2) == 0)
                {
                    layer.Settings.RemoveAt(s);
                    return (true, $"{where} setting '{name}' removed");
                }

                layer.Settings.Insert(s, layer.Settings[s]);
                return (true, $"{where} setting '{name}' duplicated");
            }

            case 5 when layer.Settings.Count > 1:
            {
                int a = random.Next(layer.Settings.Count), b = (a + 1) % layer.Settings.Count;
                (layer.Settings[a], layer.Settings[b]) = (layer.Settings[b], layer.Settings[a]);
                return (true, $"{where} settings {a} and {b} swapped (the order Save writes is the only order)");
            }

            case 6 when layer.Parameters.Count > 0:
            {
                int k = random.Next(layer.Parameters.Count);
                Tensor old = layer.Parameters[k];
                (byte[] name, _) = RandomName(random);
                layer.Parameters[k] = old with { Name = name };
                return (!name.AsSpan().SequenceEqual(old.Name), $"{where} parameter '{Text(old.Name)}' renamed '{Text(name)}'");
            }

            case 7 when layer.Parameters.Count > 0:
            {
                // Another shape: its values kept, resized to match, or left short.
                int k = random.Next(layer.Parameters.Count);
                Tensor old = layer.Parameters[k];
                uint rows = (uint)Pick(random, 0, 1, (int)old.Columns, (int)old.Rows + 1, (int)old.Rows - 1, int.MaxValue, -1, 65536);
                uint columns = random.Next(2) == 0 ? old.Columns : (uint)Pick(random, 0, 1, (int)old.Rows, (int)old.Columns + 1);
                long length = (long)rows * columns * elementSize;
                byte[] values = random.Next(2) == 0 || length > 1 << 16 ? old.Values : RandomBytes(random, (int)length);
                layer.Parameters[k] = old with { Rows = rows, Columns = columns, Values = values };
                return (rows != old.Rows || columns != old.Columns, $"{where} parameter '{Text(old.Name)}' {old.Rows} × {old.Columns} → {rows} × {columns} with {values.Length} bytes");
            }

            case 8 when layer.Parameters.Count > 0:
            {
                // New weights of any bits (NaN payloads, infinities): legitimate, and kept bit for bit.
                int k = random.Next(layer.Parameters.Count);
                Tensor old = layer.Parameters[k];
                layer.Parameters[k] = old with { Values = RandomBytes(random, old.Values.Length) };
                return (false, $"{where} parameter '{Text(old.Name)}' new values");
            }

            case 9 when layer.Buffers.Count > 0:
            {
                int b = random.Next(layer.Buffers.Count);
                EditableModelFile.Buffer old = layer.Buffers[b];
                switch (random.Next(3))
                {
                    case 0:
                        (byte[] name, _) = RandomName(random);
                        layer.Buffers[b] = old with { Name = name };
                        return (!name.AsSpan().SequenceEqual(old.Name), $"{where} buffer '{Text(old.Name)}' renamed '{Text(name)}'");
                    case 1:
                        byte type = (byte)Pick(random, 0, 1, 2, 3, 255);
                        layer.Buffers[b] = old with { Type = type };
                        return (type != old.Type, $"{where} buffer '{Text(old.Name)}' type {old.Type} → {type}");
                    default:
                        uint length = (uint)Pick(random, 0, 1, (int)old.Length + 1, (int)old.Length - 1, int.MaxValue, -1);
                        int width = old.Type == 2 ? 8 : elementSize;
                        byte[] values = random.Next(2) == 0 || (long)length * width > 1 << 16 ? old.Values : RandomBytes(random, (int)length * width);
                        layer.Buffers[b] = old with { Length = length, Values = values };
                        return (length != old.Length, $"{where} buffer '{Text(old.Name)}' length {old.Length} → {length} with {values.Length} bytes");
                }
            }

            case 10 when layer.Buffers.Count > 0:
            {
                // New contents: statistics may become NaN or a negative variance, generator words all zero; both refused.
                int b = random.Next(layer.Buffers.Count);
                EditableModelFile.Buffer old = layer.Buffers[b];
                byte[] values = random.Next(3) == 0 ? new byte[old.Values.Length] : RandomBytes(random, old.Values.Length);
                layer.Buffers[b] = old with { Values = values };
                return (false, $"{where} buffer '{Text(old.Name)}' new contents");
            }

            case 11:
            {
                // Entries added, removed, duplicated or swapped.
                bool parameters = random.Next(2) == 0;
                if (parameters && layer.Parameters.Count > 0)
                {
                    int k = random.Next(layer.Parameters.Count);
                    switch (random.Next(3))
                    {
                        case 0: layer.Parameters.RemoveAt(k); return (true, $"{where} parameter {k} removed");
                        case 1: layer.Parameters.Insert(k, layer.Parameters[k]); return (true, $"{where} parameter {k} duplicated");
                        default:
                            if (layer.Parameters.Count < 2 || layer.Parameters[0].Rows * layer.Parameters[0].Columns == layer.Parameters[1].Rows * layer.Parameters[1].Columns)
                            {
                                layer.Parameters.Add(layer.Parameters[k]);
                                return (true, $"{where} parameter {k} appended again");
                            }

                            (layer.Parameters[0], layer.Parameters[1]) = (layer.Parameters[1], layer.Parameters[0]);
                            return (true, $"{where} parameters swapped");
                    }
                }

                if (layer.Buffers.Count > 0)
                {
                    int b = random.Next(layer.Buffers.Count);
                    if (random.Next(2) == 0)
                    {
                        layer.Buffers.RemoveAt(b);
                        return (true, $"{where} buffer {b} removed");
                    }

                    layer.Buffers.Insert(b, layer.Buffers[b]);
                    return (true, $"{where} buffer {b} duplicated");
                }

                layer.Parameters.Add(new Tensor("weight"u8.ToArray(), 1, 1, RandomBytes(random, elementSize)));
                return (true, $"{where} a parameter added to a layer without");
            }

            case 12:
            {
                // A count that disagrees with the entries that follow.
                uint count = (uint)Pick(random, 0, 1, 2, 3, 1024, 1025, int.MaxValue, -1);
                switch (random.Next(3))
                {
                    case 0: layer.SettingCount = count; return (count != layer.Settings.Count, $"{where} setting count {layer.Settings.Count} → {count}");
                    case 1: layer.ParameterCount = count; return (count != layer.Parameters.Count, $"{where} parameter count {layer.Parameters.Count} → {count}");
                    default: layer.BufferCount = count; return (count != layer.Buffers.Count, $"{where} buffer count {layer.Buffers.Count} → {count}");
                }
            }

            default:
            {
                // The block read as another registered kind, or under a kind nobody registered.
                string[] kinds = [.. RandomNetworks.Kinds, "conv2d", "Linear", "linear "];
                string kind = kinds[random.Next(kinds.Length)];
                string old = Encoding.ASCII.GetString(layer.Kind);
                layer.Kind = Encoding.ASCII.GetBytes(kind);
                // Between two kinds with empty blocks the file describes another network, which may load when the shapes
                // still fit (flatten and global_avg_pool_2d change them, so the shape chain may refuse it instead); the
                // canonical-file property judges it.
                bool sameBlock = kind == old || (HasEmptyBlock(kind) && HasEmptyBlock(old));
                return (!sameBlock, $"{where} kind '{old}' → '{kind}'");
            }
        }
    }

    /// <summary>
    /// Kinds whose block is empty (no settings, parameters or buffers): one can stand for another. The activations keep
    /// the shape; flatten and global_avg_pool_2d change it.
    /// </summary>
    private static bool HasEmptyBlock(string kind) => EmptyBlockKinds.Contains(kind);


    /// <summary>A setting value of a random type, at and beyond its type's limits (name left empty).</summary>
    private static (Setting Value, string Description) RandomValue(Random random)
    {
        byte[] empty = [];
        switch (random.Next(5))
        {
            case 0:
            {
                double number = Pick(random, double.NaN, double.PositiveInfinity, double.NegativeInfinity, 0.0, -0.0, 1e300, -1e300, 4.9e-324, 0.5, 0.25, 1.0, 2.0, int.MaxValue, random.NextDouble());
                var bytes = new byte[8];
                BinaryPrimitives.WriteDoubleLittleEndian(bytes, number);
                return (new Setting(empty, 1, bytes), $"number {number}");
            }

            case 1:
            {
                long integer = Pick(random, 0L, 1L, -1L, 2L, 3L, 5L, int.MaxValue, int.MaxValue + 1L, int.MinValue, long.MaxValue, long.MinValue, 1L << 40);
                var bytes = new byte[8];
                BinaryPrimitives.WriteInt64LittleEndian(bytes, integer);
                return (new Setting(empty, 2, bytes), $"integer {integer}");
            }

            case 2:
            {
                byte flag = (byte)Pick(random, 0, 1, 2, 255);
                return (new Setting(empty, 3, [flag]), $"flag {flag}");
            }

            case 3:
            {
                // Text: plain, empty, not UTF-8, overlong (4,097 bytes) or claiming more bytes than follow.
                int kind = random.Next(5);
                byte[] text = kind switch
                {
                    0 => "none"u8.ToArray(),
                    1 => [],
                    2 => [0xC3, 0x28, 0xFF, 0xFE],
                    3 => Enumerable.Repeat((byte)'a', 4097).ToArray(),
                    _ => "tanh"u8.ToArray(),
                };
                ushort claimed = kind == 4 ? (ushort)60000 : (ushort)text.Length;
                var bytes = new byte[2 + text.Length];
                BinaryPrimitives.WriteUInt16LittleEndian(bytes, claimed);
                text.CopyTo(bytes, 2);
                return (new Setting(empty, 4, bytes), $"text of {text.Length} bytes claiming {claimed}");
            }

            default:
            {
                // A list of integers: empty, ordinary, the longest allowed, one too long, or claiming more than follow.
                int count = Pick(random, 0, 1, 3, 1024, 1025);
                uint claimed = random.Next(4) == 0 ? (uint)Pick(random, 2000, int.MaxValue, -1) : (uint)count;
                var bytes = new byte[4 + (8 * count)];
                BinaryPrimitives.WriteUInt32LittleEndian(bytes, claimed);
                for (int i = 0; i < count; i++)
                {
                    BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(4 + (8 * i)), random.NextInt64() >> random.Next(64));
                }

                return (new Setting(empty, 5, bytes), $"{count} integers claiming {claimed}");
            }
        }
    }

    /// <summary>A name: one the layers use, a fresh valid one, or an invalid one (empty, 65 bytes, a space, a non-ASCII byte).</summary>
    private static (byte[] Name, bool Valid) RandomName(Random random)
    {
        string[] used = ["inputs", "outputs", "slope", "alpha", "probability", "features", "momentum", "epsilon", "weight", "bias", "running_mean", "running_var", "random_state"];
        return random.Next(6) switch
        {
            0 or 1 => (Encoding.ASCII.GetBytes(used[random.Next(used.Length)]), true),
            2 => (Encoding.ASCII.GetBytes($"x{random.Next(1000)}"), true),
            3 => ([], false),
            4 => (Enumerable.Repeat((byte)'n', 65).ToArray(), false),
            _ => (random.Next(2) == 0 ? "in puts"u8.ToArray() : [(byte)'a', 0xE9], false),
        };
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[Math.Max(0, length)];
        random.NextBytes(bytes);
        return bytes;
    }

    private static TValue Pick<TValue>(Random random, params TValue[] values) => values[random.Next(values.Length)];

    private static string Text(byte[] name) => Encoding.Latin1.GetString(name);
}
