using System.Buffers.Binary;
using System.Text;
using NeuralNet.Data;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Schedules;
using NeuralNet.Serialization;
using NeuralNet.Tests.Training;
using NeuralNet.Training;

namespace NeuralNet.Tests.Serialization;

/// <summary>
/// Seeded damage to a checkpoint written by a real training run (batch norm, dropout, Adam, a per-batch schedule, a
/// validation split, early stopping keeping the best weights): every truncation and random bit flips must make
/// <see cref="Checkpoint{T}.Load(Stream)"/> throw <see cref="ModelFormatException"/>; every field edited with the checksum
/// recomputed (the epoch, the optimizer section, every trainer-state field, layer blocks) must either be refused by
/// <c>Load</c> with <see cref="ModelFormatException"/>, or by <see cref="Trainer{T}.Resume"/> with
/// <see cref="ArgumentException"/> or <see cref="ModelFormatException"/> before anything changes (the network's
/// parameters and buffers, the optimizer's state and rate), or resume and finish the run.
/// </summary>
public sealed class CheckpointFuzzTests
{
    private const int Epochs = 3;

    private static readonly Dataset<double> Data = TinyProblems.Blobs(12, seed: 5);

    private static readonly byte[] Valid = TrainedCheckpoint();

    private static readonly byte[] ValidTail = EditableModelFile.Parse(Valid, 8).Tail;

    private static readonly int ValidSlots = EditableModelFile.Parse(Valid, 8).Layers.Sum(l => l.Parameters.Count + l.Buffers.Count(b => b.Type == 1));

    [Fact(Timeout = 120_000)]
    public async Task Load_EveryTruncation_ThrowsModelFormatException() => await Task.Run(() =>
    {
        for (int length = 0; length < Valid.Length; length++)
        {
            Action load = () => Checkpoint<double>.Load(new MemoryStream(Valid, 0, length, writable: false));
            load.Should().Throw<ModelFormatException>($"truncated to {length} bytes");
        }
    });

    [Fact(Timeout = 120_000)]
    public async Task Load_RandomBitFlips_ThrowModelFormatException() => await Task.Run(() =>
    {
        var random = new Random(31);
        for (int trial = 0; trial < 3000; trial++)
        {
            byte[] file = (byte[])Valid.Clone();
            int flips = 1 + random.Next(trial % 3 == 0 ? 8 : 1);
            for (int f = 0; f < flips; f++)
            {
                file[random.Next(file.Length)] ^= (byte)(1 << random.Next(8));
            }

            if (!file.AsSpan().SequenceEqual(Valid))
            {
                Action load = () => Checkpoint<double>.Load(new MemoryStream(file, writable: false));
                load.Should().Throw<ModelFormatException>($"trial {trial}: {flips} bit flips");
            }
        }
    });

    [Fact(Timeout = 120_000)]
    public async Task FieldEdits_WithTheChecksumRecomputed_AreRefusedBeforeAnythingChangesOrResume() => await Task.Run(() =>
    {
        EditableModelFile parsed = EditableModelFile.Parse(Valid, 8);
        List<Field> fields = TailFields(parsed.Tail, ValidSlots);
        fields.Select(f => f.Name).Should().Contain(["epoch", "optimizer step count", "trainer state version", "learning rate", "early-stopping best epoch", "optimizer kind"]);
        var random = new Random(32);
        var failures = new List<string>();
        var outcomes = new Dictionary<string, int>();
        foreach (Field field in fields)
        {
            foreach (byte[] value in Values(field, parsed.Tail, random))
            {
                EditableModelFile file = EditableModelFile.Parse(Valid, 8);
                byte[] tail = (byte[])file.Tail.Clone();
                if (value.Length == field.Width)
                {
                    value.CopyTo(tail, field.Offset);
                }
                else
                {
                    tail = [.. tail[..field.Offset], .. value, .. tail[(field.Offset + field.Width)..]];
                }

                if (!tail.AsSpan().SequenceEqual(file.Tail))
                {
                    file.Tail = tail;
                    Judge(file.ToBytes(), $"{field.Name} (tail byte {field.Offset}) = {Convert.ToHexString(value)}", failures, outcomes, AllFinite(file, tail));
                }
            }
        }

        // Weights made NaN, infinite or huge.
        EditableModelFile weights = EditableModelFile.Parse(Valid, 8);
        for (int l = 0; l < weights.Layers.Count; l++)
        {
            for (int k = 0; k < weights.Layers[l].Parameters.Count; k++)
            {
                foreach (double v in new[] { double.NaN, double.NegativeInfinity, 1e300 })
                {
                    EditableModelFile file = EditableModelFile.Parse(Valid, 8);
                    EditableModelFile.Tensor old = file.Layers[l].Parameters[k];
                    byte[] values = (byte[])old.Values.Clone();
                    BinaryPrimitives.WriteDoubleLittleEndian(values.AsSpan(8 * random.Next(values.Length / 8)), v);
                    file.Layers[l].Parameters[k] = old with { Values = values };
                    Judge(file.ToBytes(), $"layer {l} parameter {k} value {v}", failures, outcomes, AllFinite(file, file.Tail));
                }
            }
        }

        for (int trial = 0; trial < 600; trial++)
        {
            EditableModelFile file = EditableModelFile.Parse(Valid, 8);
            (_, string edit) = LayerBlockFuzzTests.Edit(file, random, 8);
            Judge(file.ToBytes(), $"trial {trial}: {edit}", failures, outcomes, AllFinite(file, file.Tail));
        }

        string.Join(Environment.NewLine, failures).Should().BeEmpty(string.Join(", ", outcomes.Select(o => $"{o.Key}: {o.Value}")));
        outcomes.Should().ContainKeys("refused by Load", "refused by Resume", "resumed");
    });

    [Fact]
    public void TheValidCheckpoint_Resumes()
    {
        var failures = new List<string>();
        var outcomes = new Dictionary<string, int>();

        Judge(Valid, "unedited", failures, outcomes, finite: true);

        failures.Should().BeEmpty();
        outcomes.Should().Equal(new Dictionary<string, int> { ["resumed"] = 1 });
    }

    /// <summary>
    /// Loads and resumes one file, recording a failure for any outcome but the allowed ones: refused by Load, refused by
    /// Resume before anything changed, or resumed — and, when every number in the file is finite, resumed and then
    /// diverged: weights or moments that are finite but absurd (1e300) are content no check can tell from a real run's,
    /// and training on them diverges as it would from any start.
    /// </summary>
    private static void Judge(byte[] bytes, string what, List<string> failures, Dictionary<string, int> outcomes, bool finite)
    {
        Checkpoint<double> checkpoint;
        try
        {
            checkpoint = Checkpoint<double>.Load(new MemoryStream(bytes, writable: false));
        }
        catch (ModelFormatException)
        {
            Count(outcomes, "refused by Load");
            return;
        }
        catch (Exception e)
        {
            failures.Add($"{what}: Load threw {e.GetType().Name}: {e.Message}");
            return;
        }

        Network<double> network = NewNetwork(seed: 77);
        var optimizer = new Adam<double>(0.05);
        var trainer = new Trainer<double>(network, new CrossEntropyLoss<double>(), optimizer, Options());
        string before = Snapshot(network, optimizer);
        try
        {
            trainer.Resume(checkpoint, Data);
            Count(outcomes, "resumed");
        }
        catch (Exception e) when (e is ArgumentException or ModelFormatException)
        {
            Count(outcomes, "refused by Resume");
            if (Snapshot(network, optimizer) != before)
            {
                failures.Add($"{what}: Resume threw {e.GetType().Name} ({e.Message}) after changing the network or optimizer");
            }
        }
        catch (TrainingDivergedException) when (finite)
        {
            Count(outcomes, "resumed, then diverged on finite but absurd numbers");
        }
        catch (Exception e)
        {
            failures.Add($"{what}: Resume threw {e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>Whether every parameter value and every optimizer and best-weights value in the file is finite.</summary>
    private static bool AllFinite(EditableModelFile file, byte[] tail)
    {
        foreach (EditableModelFile.Tensor parameter in file.Layers.SelectMany(l => l.Parameters))
        {
            for (int i = 0; i + 8 <= parameter.Values.Length; i += 8)
            {
                if (!double.IsFinite(BinaryPrimitives.ReadDoubleLittleEndian(parameter.Values.AsSpan(i))))
                {
                    return false;
                }
            }
        }

        // The tail's value regions, wherever a walk of the unedited layout puts them (an edited length shifts them, and
        // then Load refuses the file anyway).
        foreach (Field field in TailFields(ValidTail, ValidSlots).Where(f => f.Kind == FieldKind.Values && f.Offset + f.Width <= tail.Length))
        {
            for (int i = 0; i < field.Width; i += 8)
            {
                if (!double.IsFinite(BinaryPrimitives.ReadDoubleLittleEndian(tail.AsSpan(field.Offset + i))))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static void Count(Dictionary<string, int> outcomes, string outcome) =>
        outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;

    /// <summary>The parameters and buffers (by bits), the optimizer's state and its learning rate.</summary>
    private static string Snapshot(Network<double> network, IOptimizer<double> optimizer)
    {
        var text = new StringBuilder();
        foreach (Parameter<double> p in network.Parameters)
        {
            text.AppendJoin(',', p.ValueSpan.ToArray().Select(BitConverter.DoubleToInt64Bits)).Append(';');
        }

        foreach (LayerBuffer<double> b in network.Layers.SelectMany(l => l.Buffers))
        {
            text.AppendJoin(',', b.Values.ToArray().Select(BitConverter.DoubleToInt64Bits)).AppendJoin(',', b.Words.ToArray()).Append(';');
        }

        OptimizerState<double> state = optimizer.GetState(network.Parameters);
        text.Append(state.StepCount).Append(';');
        foreach (IReadOnlyDictionary<string, double[]> buffers in state.Buffers)
        {
            foreach (KeyValuePair<string, double[]> buffer in buffers.OrderBy(b => b.Key, StringComparer.Ordinal))
            {
                text.Append(buffer.Key).Append('=').AppendJoin(',', buffer.Value.Select(BitConverter.DoubleToInt64Bits)).Append(';');
            }
        }

        return text.Append(BitConverter.DoubleToInt64Bits(optimizer.LearningRate)).ToString();
    }

    private static Network<double> NewNetwork(int seed)
    {
        var random = new Random(seed);
        return new Network<double>(
            new Linear<double>(2, 6, random),
            new BatchNorm1d<double>(6, momentum: 0.3),
            new Relu<double>(),
            new Dropout<double>(0.25, seed: seed),
            new Linear<double>(6, 2, random));
    }

    private static TrainerOptions Options() => new()
    {
        Epochs = Epochs,
        BatchSize = 6,
        Seed = 9,
        ValidationSplit = 0.25,
        EarlyStopping = new EarlyStopping(patience: 3),
        Schedule = new LinearWarmupSchedule(2, new CosineAnnealingSchedule(10)),
        ScheduleInterval = ScheduleInterval.Batch,
    };

    /// <summary>The checkpoint a run writes after epoch 2 of 3 (the run is cancelled right after writing it).</summary>
    private static byte[] TrainedCheckpoint()
    {
        string directory = Directory.CreateTempSubdirectory("nnet-checkpoint-fuzz-").FullName;
        try
        {
            string path = Path.Combine(directory, "run.ckpt");
            using var cancellation = new CancellationTokenSource();
            var trainer = new Trainer<double>(NewNetwork(seed: 10), new CrossEntropyLoss<double>(), new Adam<double>(0.05), Options() with { CheckpointPath = path });
            trainer.Callbacks.Add(new DelegateCallback(onEpoch: c =>
            {
                if (c.Epoch == Epochs - 1)
                {
                    cancellation.Cancel();
                }
            }));
            Action fit = () => trainer.Fit(Data, cancellationToken: cancellation.Token);
            fit.Should().Throw<OperationCanceledException>();
            return File.ReadAllBytes(path);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>A field of the checkpoint's tail (after the network section): where it is, its width and how to vary it.</summary>
    private sealed record Field(string Name, int Offset, int Width, FieldKind Kind);

    private enum FieldKind
    {
        Count,
        Word,
        Flag,
        Number,
        Name,
        Values,
    }

    /// <summary>Walks the tail as docs/model-format.md describes it ("Checkpoint payload", "Trainer state").</summary>
    /// <param name="tail">The payload after the network section.</param>
    /// <param name="slots">The network's model-state slots: its parameters, then its statistics buffers.</param>
    private static List<Field> TailFields(byte[] tail, int slots)
    {
        var fields = new List<Field>();
        int p = 0;
        void Add(string name, int width, FieldKind kind)
        {
            fields.Add(new Field(name, p, width, kind));
            p += width;
        }

        uint U32() => BinaryPrimitives.ReadUInt32LittleEndian(tail.AsSpan(p));

        Add("epoch", 4, FieldKind.Count);
        Add("optimizer step count", 8, FieldKind.Word);
        uint parameters = U32();
        Add("optimizer parameter count", 4, FieldKind.Count);
        for (int k = 0; k < parameters; k++)
        {
            uint buffers = U32();
            Add($"parameter {k} optimizer buffer count", 4, FieldKind.Count);
            for (int b = 0; b < buffers; b++)
            {
                Add($"parameter {k} optimizer buffer {b} name", 1 + tail[p], FieldKind.Name);
                uint length = U32();
                Add($"parameter {k} optimizer buffer {b} length", 4, FieldKind.Count);
                Add($"parameter {k} optimizer buffer {b} values", (int)length * 8, FieldKind.Values);
            }
        }

        Add("random state length", 4, FieldKind.Count);
        Add("trainer state version", 1, FieldKind.Flag);
        Add("seed", 4, FieldKind.Count);
        Add("shuffle", 1, FieldKind.Flag);
        Add("training-set size", 4, FieldKind.Count);
        Add("batch size", 4, FieldKind.Count);
        Add("schedule step", 8, FieldKind.Word);
        Add("learning rate", 8, FieldKind.Number);
        Add("ended", 1, FieldKind.Flag);
        Add("early stopping", 1, FieldKind.Flag);
        Add("early-stopping best value", 8, FieldKind.Number);
        Add("early-stopping best epoch", 4, FieldKind.Count);
        Add("early-stopping epochs without improvement", 4, FieldKind.Count);
        bool bestWeights = tail[p] == 1;
        Add("early-stopping best-weights flag", 1, FieldKind.Flag);
        for (int slot = 0; bestWeights && slot < slots; slot++)
        {
            uint length = U32();
            Add($"best weights slot {slot} length", 4, FieldKind.Count);
            Add($"best weights slot {slot} values", (int)length * 8, FieldKind.Values);
        }

        Add("optimizer kind", 1 + tail[p], FieldKind.Name);
        p.Should().Be(tail.Length, "the walk must end with the trainer state");
        return fields;
    }

    /// <summary>The values to try in a field: its edges, off-by-one neighbours, and values no run writes.</summary>
    private static IEnumerable<byte[]> Values(Field field, byte[] tail, Random random)
    {
        byte[] current = tail[field.Offset..(field.Offset + field.Width)];
        switch (field.Kind)
        {
            case FieldKind.Count:
                uint count = BinaryPrimitives.ReadUInt32LittleEndian(current);
                foreach (uint v in new uint[] { 0, 1, 2, count - 1, count + 1, count * 2, int.MaxValue, int.MaxValue + 1u, uint.MaxValue })
                {
                    yield return BitConverter.GetBytes(v);
                }

                break;
            case FieldKind.Word:
                ulong word = BinaryPrimitives.ReadUInt64LittleEndian(current);
                foreach (ulong v in new ulong[] { 0, 1, word - 1, word + 1, int.MaxValue, long.MaxValue, (ulong)long.MaxValue + 1, ulong.MaxValue })
                {
                    yield return BitConverter.GetBytes(v);
                }

                break;
            case FieldKind.Flag:
                foreach (byte v in new byte[] { 0, 1, 2, 3, 255 })
                {
                    yield return [v];
                }

                break;
            case FieldKind.Number:
                double number = BinaryPrimitives.ReadDoubleLittleEndian(current);
                foreach (double v in new[] { double.NaN, double.PositiveInfinity, double.NegativeInfinity, -1, 0, -0.0, 1e300, double.Epsilon, number * 2, -number })
                {
                    yield return BitConverter.GetBytes(v);
                }

                break;
            case FieldKind.Name:
                yield return [0];
                yield return [.. "\u0004Adam"u8];
                yield return [.. "\u0003Sgd"u8];
                yield return [.. "\u0005AdamW"u8];
                yield return [.. "\u0004Ad m"u8];
                yield return [65, .. Enumerable.Repeat((byte)'x', 65)];
                break;
            default:
                // One value made non-finite, negative or huge, and all of them zeroed.
                for (int i = 0; i < 4 && field.Width >= 8; i++)
                {
                    byte[] values = (byte[])current.Clone();
                    double v = i switch { 0 => double.NaN, 1 => double.NegativeInfinity, 2 => -1e300, _ => -0.5 };
                    BinaryPrimitives.WriteDoubleLittleEndian(values.AsSpan(8 * random.Next(field.Width / 8)), v);
                    yield return values;
                }

                yield return new byte[field.Width];
                break;
        }
    }
}
