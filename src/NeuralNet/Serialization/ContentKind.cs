namespace NeuralNet.Serialization;

/// <summary>What a NeuralNet file holds; stored in byte 10 of the header.</summary>
internal enum ContentKind : byte
{
    Model = 1,
    Checkpoint = 2,
}
