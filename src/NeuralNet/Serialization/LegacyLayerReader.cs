using System.Numerics;
using NeuralNet.Layers;

namespace NeuralNet.Serialization;

/// <summary>
/// Reads the per-kind layer blocks of format version 1 into the version-2 description (configuration, named
/// parameters, named buffers), so a version-1 file loads through the same registry as a new one. Read-only: nothing
/// writes version 1 any more. The block layouts are those of <c>docs/model-format.md</c>, "Version 1 layer blocks".
/// </summary>
internal static class LegacyLayerReader
{
    public static StoredLayer<T> Read<T>(string kind, PayloadReader block)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var config = new LayerConfig(kind);
        var stored = new StoredLayer<T>(config);
        switch (kind)
        {
            case "linear":
                T[] weights = block.ReadTensor<T>("linear weights", out int outputs, out int inputs);
                T[] bias = block.ReadTensor<T>("linear bias", out _, out _, expectedRows: outputs, expectedColumns: 1);
                config.With("inputs", (long)inputs).With("outputs", (long)outputs);
                stored.Parameters.Add(("weight", outputs, inputs, weights));
                stored.Parameters.Add(("bias", outputs, 1, bias));
                break;
            case "leaky_relu":
                config.With("slope", block.ReadDouble("leaky_relu slope"));
                break;
            case "elu":
                config.With("alpha", block.ReadDouble("elu alpha"));
                break;
            case "dropout":
                config.With("probability", block.ReadDouble("dropout probability"));
                var words = new ulong[4];
                for (int i = 0; i < words.Length; i++)
                {
                    words[i] = block.ReadUInt64($"dropout random state word {i}");
                }

                stored.Buffers.Add(("random_state", null, words));
                break;
            case "batch_norm_1d":
                ReadBatchNorm(block, config, stored);
                break;
            case "relu" or "sigmoid" or "tanh" or "identity" or "softplus" or "gelu" or "softmax":
                break;
            default:
                throw block.Error($"layer kind '{kind}' did not exist in format version 1; version 1 has linear, relu, leaky_relu, sigmoid, tanh, identity, elu, softplus, gelu, softmax, dropout, batch_norm_1d");
        }

        return stored;
    }

    private static void ReadBatchNorm<T>(PayloadReader block, LayerConfig config, StoredLayer<T> stored)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double momentum = block.ReadDouble("batch_norm_1d momentum");
        double epsilon = block.ReadDouble("batch_norm_1d epsilon");
        T[] gamma = block.ReadTensor<T>("batch_norm_1d weight", out int features, out _, expectedColumns: 1);
        T[] beta = block.ReadTensor<T>("batch_norm_1d bias", out _, out _, expectedRows: features, expectedColumns: 1);
        T[] mean = block.ReadTensor<T>("batch_norm_1d running mean", out _, out _, expectedRows: features, expectedColumns: 1);
        T[] variance = block.ReadTensor<T>("batch_norm_1d running variance", out _, out _, expectedRows: features, expectedColumns: 1);
        config.With("features", (long)features).With("momentum", momentum).With("epsilon", epsilon);
        stored.Parameters.Add(("weight", features, 1, gamma));
        stored.Parameters.Add(("bias", features, 1, beta));
        stored.Buffers.Add(("running_mean", mean, null));
        stored.Buffers.Add(("running_var", variance, null));
    }
}
