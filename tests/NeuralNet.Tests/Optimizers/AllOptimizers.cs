using NeuralNet.Optimizers;

namespace NeuralNet.Tests.Optimizers;

/// <summary>One configuration of every optimizer, with the settings that give it per-parameter state, for tests of the shared contract.</summary>
internal static class AllOptimizers
{
    /// <summary>The optimizer names, as theory data; <see cref="Create"/> builds each.</summary>
    public static TheoryData<string> Names => ["Sgd", "Adam", "AdamW", "RmsProp"];

    public static IOptimizer<double> Create(string name) => name switch
    {
        "Sgd" => new Sgd<double>(0.1, momentum: 0.9, nesterov: true, weightDecay: 0.01),
        "Adam" => new Adam<double>(0.05, weightDecay: 0.1),
        "AdamW" => new AdamW<double>(0.05, weightDecay: 0.1),
        "RmsProp" => new RmsProp<double>(0.01, weightDecay: 0.1, momentum: 0.5, centered: true),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "no such optimizer"),
    };

    /// <summary>Writes a gradient that depends on each value and its position, so every slot sees its own numbers.</summary>
    public static void SetGradients(IReadOnlyList<Parameter<double>> parameters)
    {
        for (int p = 0; p < parameters.Count; p++)
        {
            Span<double> theta = parameters[p].ValueSpan;
            Span<double> gradient = parameters[p].GradientSpan;
            for (int i = 0; i < theta.Length; i++)
            {
                gradient[i] = Math.Sin(theta[i] + (0.3 * i)) + (0.1 * p);
            }
        }
    }

    public static double[] Values(IReadOnlyList<Parameter<double>> parameters) =>
        [.. parameters.SelectMany(p => p.ValueSpan.ToArray())];
}
