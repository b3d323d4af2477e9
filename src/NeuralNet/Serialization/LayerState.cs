using System.Numerics;
using NeuralNet.Layers;

namespace NeuralNet.Serialization;

/// <summary>
/// What a layer keeps besides its parameters and must carry over on resume: the running statistics of
/// <see cref="BatchNorm1d{T}"/> and the mask generator of <see cref="Dropout{T}"/>.
/// </summary>
internal static class LayerState
{
    /// <summary>Copies the non-parameter state of <paramref name="source"/> into <paramref name="target"/> (same kind and shape).</summary>
    public static void Copy<T>(ILayer<T> source, ILayer<T> target)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (source, target)
        {
            case (BatchNorm1d<T> from, BatchNorm1d<T> to):
                from.RunningMean.CopyTo(to.RunningMean);
                from.RunningVariance.CopyTo(to.RunningVariance);
                break;
            case (Dropout<T> from, Dropout<T> to):
                Span<ulong> state = stackalloc ulong[Xoshiro256StarStar.StateWords];
                from.GetRandomState(state);
                to.SetRandomState(state);
                break;
        }
    }
}
