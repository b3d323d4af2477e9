using System.Numerics;
using NeuralNet.Optimizers;

namespace NeuralNet.Serialization;

/// <summary>
/// Checkpoint files (content kind 2): the network section of a model file, then the epoch, the optimizer section
/// and the random-number-generator state.
/// </summary>
internal static class CheckpointFile
{
    public static byte[] Serialize<T>(Checkpoint<T> checkpoint)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var payload = new PayloadWriter();
        NetworkCodec.Write(checkpoint.Network, payload);
        payload.WriteCount(checkpoint.Epoch);
        OptimizerStateCodec.Write(checkpoint.OptimizerState, checkpoint.Network.Parameters.Count, payload);
        payload.WriteCount(checkpoint.RandomState.Length);
        payload.WriteBytes(checkpoint.RandomState.Span);
        return ModelContainer.Build(ContentKind.Checkpoint, ElementTypes.Of<T>(), payload);
    }

    public static void Save<T>(Checkpoint<T> checkpoint, string path, Action<string>? beforeReplace = null)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        AtomicFile.Write(path, Serialize(checkpoint), beforeReplace);

    public static Checkpoint<T> Load<T>(Stream stream, string source)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        byte[] payload = ModelContainer.Read(stream, source, ContentKind.Checkpoint, ElementTypes.Of<T>(), out int version);
        var reader = new PayloadReader(payload, source);
        Network<T> network = NetworkCodec.Read<T>(reader, version);
        int epoch = reader.ReadCount("epoch", 0, int.MaxValue);
        OptimizerState<T> state = OptimizerStateCodec.Read<T>(reader, network.Parameters.Count);
        int randomLength = reader.ReadCount("random state length", 0, reader.Remaining);
        byte[] random = reader.ReadBytes(randomLength, "random state");
        reader.ExpectEnd("the checkpoint payload");
        return new Checkpoint<T>(network, state, epoch, random);
    }
}
