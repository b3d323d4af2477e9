using System.Numerics;
using NeuralNet.Layers;

namespace NeuralNet.Serialization.Codecs;

/// <summary>
/// Stores <see cref="Dropout{T}"/> as <c>dropout</c>; block: the drop probability as a float64, then the four
/// 64-bit words of the mask generator's xoshiro256** state, so a loaded layer draws the masks the saved one would have.
/// </summary>
internal sealed class DropoutCodec : ILayerCodec
{
    public string Kind => "dropout";

    public Type LayerType => typeof(Dropout<>);

    public void Write<T>(ILayer<T> layer, PayloadWriter writer)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var dropout = (Dropout<T>)layer;
        writer.WriteDouble(dropout.Probability);
        Span<ulong> state = stackalloc ulong[Xoshiro256StarStar.StateWords];
        dropout.GetRandomState(state);
        foreach (ulong word in state)
        {
            writer.WriteUInt64(word);
        }
    }

    public ILayer<T> Read<T>(PayloadReader reader)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double probability = reader.ReadDouble("dropout probability");
        if (!(probability >= 0 && probability < 1))
        {
            throw reader.Error($"dropout probability is {probability}; it must be in [0, 1)");
        }

        Span<ulong> state = stackalloc ulong[Xoshiro256StarStar.StateWords];
        for (int i = 0; i < state.Length; i++)
        {
            state[i] = reader.ReadUInt64($"dropout random state word {i}");
        }

        if ((state[0] | state[1] | state[2] | state[3]) == 0)
        {
            throw reader.Error("dropout random state is all zero, which xoshiro256** can never reach");
        }

        return new Dropout<T>(probability, state);
    }
}
