using System.Buffers.Binary;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Serialization;
using static NeuralNet.Tests.Serialization.SerializationSamples;

namespace NeuralNet.Tests.Serialization;

public sealed class CheckpointTests : IDisposable
{
    private const int Epochs = 4;
    private const int Samples = 24;
    private const int BatchSize = 5;

    private readonly string directory = Directory.CreateTempSubdirectory("nnet-checkpoint-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void ResumingFromACheckpoint_GivesBitIdenticalWeightsToAnUninterruptedRun(int stopAfter)
    {
        (Network<double> uninterrupted, _) = Train(startEpoch: 1, NewNetwork(seed: 1), new Sgd<double>(0.05, momentum: 0.9, nesterov: true), new SplitMix(42), checkpointAfter: null);

        string path = Path.Combine(directory, "run.ckpt");
        Train(startEpoch: 1, NewNetwork(seed: 1), new Sgd<double>(0.05, momentum: 0.9, nesterov: true), new SplitMix(42), checkpointAfter: (stopAfter, path));

        // A fresh process: a differently initialised network, a new optimizer and generator, all restored from the file.
        Checkpoint<double> checkpoint = Checkpoint<double>.Load(path);
        Network<double> resumed = NewNetwork(seed: 777);
        var optimizer = new Sgd<double>(0.05, momentum: 0.9, nesterov: true);
        checkpoint.RestoreInto(resumed, optimizer);
        var random = SplitMix.FromState(checkpoint.RandomState.Span);
        checkpoint.Epoch.Should().Be(stopAfter);
        Train(checkpoint.Epoch + 1, resumed, optimizer, random, checkpointAfter: null);

        for (int p = 0; p < uninterrupted.Parameters.Count; p++)
        {
            resumed.Parameters[p].Value.ToColumnMajorArray().Should().Equal(uninterrupted.Parameters[p].Value.ToColumnMajorArray(), $"parameter {p}");
        }
    }

    [Fact]
    public void ResumingWithoutTheOptimizerState_WouldDiverge_SoTheStateIsWhatMakesItExact()
    {
        (Network<double> uninterrupted, _) = Train(1, NewNetwork(1), new Sgd<double>(0.05, momentum: 0.9), new SplitMix(42), null);
        string path = Path.Combine(directory, "run.ckpt");
        Train(1, NewNetwork(1), new Sgd<double>(0.05, momentum: 0.9), new SplitMix(42), (2, path));
        Checkpoint<double> checkpoint = Checkpoint<double>.Load(path);
        Network<double> resumed = NewNetwork(9);
        checkpoint.RestoreInto(resumed, new Sgd<double>(0.05, momentum: 0.9));

        Train(3, resumed, new Sgd<double>(0.05, momentum: 0.9), SplitMix.FromState(checkpoint.RandomState.Span), null);

        resumed.Parameters[0].Value.ToColumnMajorArray().Should().NotEqual(uninterrupted.Parameters[0].Value.ToColumnMajorArray());
    }

    [Fact]
    public void SaveThenLoad_RoundTripsEveryPart()
    {
        Network<float> network = NetworkWith<float>("leaky_relu", seed: 3);
        var optimizer = new Sgd<float>(0.1, momentum: 0.5);
        network.Forward(RandomInput<float>(5, 4, 1));
        network.Backward(Matrix<float>.Build.Dense(3, 4, 0.25f));
        optimizer.Step(network.Parameters);
        byte[] rng = [1, 2, 3, 250, 0, 7];
        var saved = Checkpoint<float>.Capture(network, optimizer, epoch: 17, rng);
        using var buffer = new MemoryStream();
        saved.Save(buffer);
        buffer.Position = 0;

        Checkpoint<float> loaded = Checkpoint<float>.Load(new NonSeekableStream(buffer));

        loaded.Epoch.Should().Be(17);
        loaded.RandomState.ToArray().Should().Equal(rng);
        loaded.OptimizerState.StepCount.Should().Be(1);
        loaded.OptimizerState.Buffers.Should().HaveCount(4);
        for (int p = 0; p < 4; p++)
        {
            loaded.OptimizerState.Buffers[p]["velocity"].Should().Equal(saved.OptimizerState.Buffers[p]["velocity"]);
        }

        Matrix<float> input = RandomInput<float>(5, 6, 2);
        Bits(loaded.Network.Predict(input)).Should().Equal(Bits(network.Predict(input)));
    }

    [Fact]
    public void RestoreInto_ANetworkWithDifferentLayers_ThrowsNamingTheLayerAndChangesNothing()
    {
        var checkpoint = Checkpoint<float>.Capture(NetworkWith<float>("relu", 1), new Sgd<float>(0.1), 0, []);
        Network<float> other = NetworkWith<float>("tanh", 2);
        float[] before = other.Parameters[0].Value.ToColumnMajorArray();

        Action restore = () => checkpoint.RestoreInto(other, new Sgd<float>(0.1));

        restore.Should().Throw<ArgumentException>().WithMessage("Layer 1 is Tanh in the network but ReLU in the checkpoint*");
        other.Parameters[0].Value.ToColumnMajorArray().Should().Equal(before);
    }

    [Fact]
    public void Load_AModelFileAsACheckpoint_SaysWhatTheFileHolds()
    {
        string path = Path.Combine(directory, "model.nnet");
        NetworkWith<float>("relu", 1).Save(path);

        Action load = () => Checkpoint<float>.Load(path);

        load.Should().Throw<ModelFormatException>().WithMessage($"{path}: the file holds a model, not a training checkpoint*");
    }

    [Fact(Timeout = 120_000)]
    public async Task DamagedCheckpoints_TruncatedFlippedOrWithEditedSizes_AreRejected() => await Task.Run(() =>
    {
        byte[] valid = ValidCheckpoint();
        for (int length = 0; length < valid.Length; length++)
        {
            ExpectRejected(valid[..length], $"truncated to {length}");
        }

        for (int bit = 0; bit < valid.Length * 8; bit++)
        {
            byte[] file = (byte[])valid.Clone();
            file[bit / 8] ^= (byte)(1 << (bit % 8));
            ExpectRejected(file, $"bit {bit} flipped");
        }

        // The checkpoint's own count fields, with the checksum recomputed: optimizer parameter count, the first
        // parameter's buffer count and its "velocity" length, and the random-state length.
        int networkEnd = 20 + ModelFile.Serialize(Checkpoint<float>.Load(new MemoryStream(valid)).Network).Length - 24;
        int[] sizeFields = [networkEnd + 4 + 8, networkEnd + 16, networkEnd + 20 + 1 + "velocity".Length, valid.Length - 4 - 3 - 4];
        sizeFields.Select(o => BinaryPrimitives.ReadUInt32LittleEndian(valid.AsSpan(o))).Should().Equal([4u, 1u, 35u, 3u], "the offsets must hit the documented fields");
        foreach (int offset in sizeFields)
        {
            foreach (uint value in new uint[] { 0, 1, 2, 1000, uint.MaxValue, int.MaxValue })
            {
                byte[] file = (byte[])valid.Clone();
                if (BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(offset)) == value)
                {
                    continue;
                }

                BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(offset), value);
                FixChecksum(file);
                ExpectRejected(file, $"field at byte {offset} set to {value}");
            }
        }
    });

    [Fact]
    public void InterruptedCheckpointSave_LeavesThePreviousCheckpointLoadable()
    {
        string path = Path.Combine(directory, "run.ckpt");
        Checkpoint<float>.Capture(NetworkWith<float>("relu", 1), new Sgd<float>(0.1), 3, [9]).Save(path);
        var next = Checkpoint<float>.Capture(NetworkWith<float>("relu", 2), new Sgd<float>(0.1), 4, [8]);

        Action crash = () => CheckpointFile.Save(next, path, beforeReplace: _ => throw new IOException("simulated crash"));

        crash.Should().Throw<IOException>();
        Checkpoint<float>.Load(path).Epoch.Should().Be(3);
        Directory.GetFiles(directory).Should().Equal(path);
    }

    private static void ExpectRejected(byte[] file, string because)
    {
        Action load = () => Checkpoint<float>.Load(new MemoryStream(file));
        load.Should().Throw<ModelFormatException>(because);
    }

    private static byte[] ValidCheckpoint()
    {
        Network<float> network = NetworkWith<float>("relu", 3);
        var optimizer = new Sgd<float>(0.1, momentum: 0.5);
        network.Forward(RandomInput<float>(5, 2, 1));
        network.Backward(Matrix<float>.Build.Dense(3, 2, 0.5f));
        optimizer.Step(network.Parameters);
        using var buffer = new MemoryStream();
        Checkpoint<float>.Capture(network, optimizer, 2, [4, 5, 6]).Save(buffer);
        return buffer.ToArray();
    }

    private static Network<double> NewNetwork(int seed)
    {
        var random = new Random(seed);
        return new Network<double>(RandomLinear<double>(3, 8, random), new Tanh<double>(), RandomLinear<double>(8, 2, random));
    }

    /// <summary>A minimal training loop (shuffled minibatches drawn from <paramref name="random"/>), with an optional checkpoint at the end of one epoch.</summary>
    private static (Network<double> Network, SplitMix Random) Train(
        int startEpoch, Network<double> network, Sgd<double> optimizer, SplitMix random, (int Epoch, string Path)? checkpointAfter)
    {
        var data = Matrix<double>.Build.Dense(3, Samples, (i, j) => Math.Sin((i * 7) + (j * 3)));
        int[] labels = [.. Enumerable.Range(0, Samples).Select(j => j % 2)];
        var loss = new CrossEntropyLoss<double>();
        for (int epoch = startEpoch; epoch <= Epochs; epoch++)
        {
            int[] order = random.Permutation(Samples);
            for (int first = 0; first < Samples; first += BatchSize)
            {
                int size = Math.Min(BatchSize, Samples - first);
                int[] batch = order[first..(first + size)];
                Matrix<double> input = Matrix<double>.Build.Dense(3, size, (i, j) => data[i, batch[j]]);
                Matrix<double> output = network.Forward(input);
                Matrix<double> gradient = Matrix<double>.Build.Dense(output.RowCount, size);
                loss.Compute(output, batch.Select(j => labels[j]).ToArray(), gradient);
                network.Backward(gradient);
                optimizer.Step(network.Parameters);
            }

            if (checkpointAfter is { } target && target.Epoch == epoch)
            {
                Checkpoint<double>.Capture(network, optimizer, epoch, random.State).Save(target.Path);
                break;
            }
        }

        return (network, random);
    }

    /// <summary>SplitMix64: a generator whose whole state is one 64-bit word, so it can go into a checkpoint.</summary>
    private sealed class SplitMix(ulong state)
    {
        public byte[] State
        {
            get
            {
                var bytes = new byte[8];
                BinaryPrimitives.WriteUInt64LittleEndian(bytes, state);
                return bytes;
            }
        }

        public static SplitMix FromState(ReadOnlySpan<byte> bytes) => new(BinaryPrimitives.ReadUInt64LittleEndian(bytes));

        public int[] Permutation(int count)
        {
            int[] order = [.. Enumerable.Range(0, count)];
            for (int i = count - 1; i > 0; i--)
            {
                int j = (int)(Next() % (ulong)(i + 1));
                (order[i], order[j]) = (order[j], order[i]);
            }

            return order;
        }

        private ulong Next()
        {
            ulong z = state += 0x9E3779B97F4A7C15;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
            return z ^ (z >> 31);
        }
    }
}
