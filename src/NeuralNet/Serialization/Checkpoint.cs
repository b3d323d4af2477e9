using System.Numerics;
using NeuralNet.Layers;
using NeuralNet.Optimizers;

namespace NeuralNet.Serialization;

/// <summary>
/// Everything needed to resume training bit for bit: the network (layers, parameters, batch-norm running statistics and
/// dropout generator states), the optimizer's state, the number of completed epochs and the trainer's own resumable
/// state (see <see cref="RandomState"/>). <see cref="Training.TrainerOptions.CheckpointPath"/> makes the trainer write one
/// after every epoch, and <see cref="Training.Trainer{T}.Resume"/> continues from it. Stored in the same validated,
/// checksummed, atomically written format as model files (content kind 2; see <c>docs/model-format.md</c>).
/// </summary>
/// <example>
/// <code>
/// // At the end of an epoch:
/// Checkpoint&lt;float&gt;.Capture(network, optimizer, epoch, rngState).Save("run.ckpt");
/// // To resume, with a network and optimizer built the same way:
/// var checkpoint = Checkpoint&lt;float&gt;.Load("run.ckpt");
/// checkpoint.RestoreInto(network, optimizer);   // then continue from epoch checkpoint.Epoch + 1
/// </code>
/// </example>
/// <typeparam name="T">Element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class Checkpoint<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates a checkpoint from its parts (held by reference: save it before training continues).</summary>
    /// <param name="network">The network being trained.</param>
    /// <param name="optimizerState">The optimizer's state for <paramref name="network"/>'s parameters, in order (from <see cref="IOptimizer{T}.GetState"/>).</param>
    /// <param name="epoch">The number of completed epochs; ≥ 0.</param>
    /// <param name="randomState">The trainer's random-number-generator state, in whatever encoding the trainer uses (copied).</param>
    /// <exception cref="ArgumentException">The optimizer state does not have one entry per network parameter.</exception>
    public Checkpoint(Network<T> network, OptimizerState<T> optimizerState, int epoch, ReadOnlySpan<byte> randomState)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(optimizerState);
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        if (optimizerState.Buffers.Count != network.Parameters.Count)
        {
            throw new ArgumentException(
                $"The optimizer state covers {optimizerState.Buffers.Count} parameters but the network has {network.Parameters.Count}.", nameof(optimizerState));
        }

        Network = network;
        OptimizerState = optimizerState;
        Epoch = epoch;
        RandomState = randomState.ToArray();
    }

    /// <summary>The network, with the parameters as of the checkpoint.</summary>
    public Network<T> Network { get; }

    /// <summary>The optimizer state (step count and per-parameter buffers such as velocities).</summary>
    public OptimizerState<T> OptimizerState { get; }

    /// <summary>The number of completed epochs: training resumes with epoch <c>Epoch + 1</c>.</summary>
    public int Epoch { get; }

    /// <summary>
    /// The trainer's resumable state as given when the checkpoint was made: opaque bytes in the encoding of whoever made
    /// the checkpoint. <see cref="Training.Trainer{T}"/> stores its shuffle seed, schedule step, learning rate and
    /// early-stopping progress here (see <c>docs/model-format.md</c>).
    /// </summary>
    public ReadOnlyMemory<byte> RandomState { get; }

    /// <summary>Captures <paramref name="optimizer"/>'s state for <paramref name="network"/> into a new checkpoint.</summary>
    /// <param name="network">The network being trained.</param>
    /// <param name="optimizer">The optimizer stepping <paramref name="network"/>'s parameters.</param>
    /// <param name="epoch">The number of completed epochs.</param>
    /// <param name="randomState">The trainer's random-number-generator state.</param>
    /// <returns>The checkpoint (save it before training continues: the network is held by reference).</returns>
    public static Checkpoint<T> Capture(Network<T> network, IOptimizer<T> optimizer, int epoch, ReadOnlySpan<byte> randomState)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(optimizer);
        return new Checkpoint<T>(network, optimizer.GetState(network.Parameters), epoch, randomState);
    }

    /// <summary>Saves the checkpoint atomically (temporary file, flush to disk, rename), like <see cref="Network{T}.Save(string)"/>.</summary>
    /// <param name="path">The destination file; its directory must exist.</param>
    /// <exception cref="NotSupportedException">A layer's kind is not registered; nothing is written.</exception>
    public void Save(string path) => CheckpointFile.Save(this, path);

    /// <summary>Writes the checkpoint to <paramref name="stream"/> (one write of the complete file).</summary>
    /// <param name="stream">A writable stream; left open.</param>
    public void Save(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        stream.Write(CheckpointFile.Serialize(this));
    }

    /// <summary>Loads a checkpoint, verifying the whole file (magic, version, sizes, checksum, layer kinds) first.</summary>
    /// <param name="path">The checkpoint file.</param>
    /// <returns>The checkpoint, with a newly built network.</returns>
    /// <exception cref="ModelFormatException">The file is not a valid checkpoint for element type <typeparamref name="T"/>; the message names the file and the problem.</exception>
    public static Checkpoint<T> Load(string path) => ModelFile.ReadFile(path, stream => CheckpointFile.Load<T>(stream, path));

    /// <summary>Reads one checkpoint from <paramref name="stream"/>, leaving the stream just after it.</summary>
    /// <param name="stream">A readable stream, seekable or not.</param>
    /// <returns>The checkpoint, with a newly built network.</returns>
    /// <exception cref="ModelFormatException">The data is not a valid checkpoint for element type <typeparamref name="T"/>.</exception>
    public static Checkpoint<T> Load(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return CheckpointFile.Load<T>(stream, "the stream");
    }

    /// <summary>
    /// Copies the checkpoint's parameter values, batch-norm running statistics and dropout generator states into
    /// <paramref name="network"/> and its optimizer state into <paramref name="optimizer"/>, so training continues
    /// exactly where it stopped. The learning rate is not part of the optimizer state; see <see cref="Training.Trainer{T}.Resume"/>.
    /// </summary>
    /// <param name="network">A network with the same layers (kinds, settings and shapes) as the checkpoint's.</param>
    /// <param name="optimizer">The optimizer that will step <paramref name="network"/>'s parameters.</param>
    /// <exception cref="ArgumentException">The network's layers differ from the checkpoint's (the message names the first difference), or the optimizer rejects the state.</exception>
    public void RestoreInto(Network<T> network, IOptimizer<T> optimizer)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(optimizer);
        if (network.Layers.Count != Network.Layers.Count)
        {
            throw new ArgumentException($"The network has {network.Layers.Count} layers, the checkpoint {Network.Layers.Count}.", nameof(network));
        }

        for (int i = 0; i < network.Layers.Count; i++)
        {
            string? difference = network.Layers[i].GetConfig().DescribeDifference(Network.Layers[i].GetConfig());
            if (difference is not null)
            {
                throw new ArgumentException($"Layer {i} is {network.Layers[i].Name} in the network but {Network.Layers[i].Name} in the checkpoint ({difference}).", nameof(network));
            }
        }

        optimizer.SetState(network.Parameters, OptimizerState);
        for (int p = 0; p < network.Parameters.Count; p++)
        {
            Network.Parameters[p].ValueSpan.CopyTo(network.Parameters[p].ValueSpan);
        }

        for (int i = 0; i < network.Layers.Count; i++)
        {
            IReadOnlyList<LayerBuffer<T>> from = Network.Layers[i].Buffers;
            IReadOnlyList<LayerBuffer<T>> to = network.Layers[i].Buffers;
            for (int b = 0; b < to.Count; b++)
            {
                to[b].CopyFrom(from[b]);
            }
        }
    }
}
