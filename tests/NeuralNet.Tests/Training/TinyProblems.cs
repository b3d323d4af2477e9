using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Data;
using NeuralNet.Layers;
using NeuralNet.Training;

namespace NeuralNet.Tests.Training;

/// <summary>Small deterministic problems for the trainer-feature tests.</summary>
internal static class TinyProblems
{
    private static readonly double[] Inputs = [1.0, 2.0, -1.0, 0.5, -1.5, 0.25];

    /// <summary>y = slope · x on six fixed inputs (one feature, one target).</summary>
    public static Dataset<double> Line(double slope) =>
        Dataset<double>.ForRegression(
            Matrix<double>.Build.Dense(1, Inputs.Length, Inputs),
            Matrix<double>.Build.Dense(1, Inputs.Length, Inputs.Select(x => slope * x).ToArray()));

    /// <summary>A 1 → 1 linear model starting at w = 0, b = 0.</summary>
    public static Network<double> ZeroLine() =>
        new(new Linear<double>(Matrix<double>.Build.Dense(1, 1), Vector<double>.Build.Dense(1)));

    /// <summary>Two Gaussian blobs in 2-D: class 0 around (−1, −1), class 1 around (1, 1), ordered by class (all 0s first).</summary>
    public static Dataset<double> Blobs(int perClass, int seed)
    {
        var random = new Random(seed);
        var features = Matrix<double>.Build.Dense(2, 2 * perClass);
        var labels = new int[2 * perClass];
        for (int j = 0; j < labels.Length; j++)
        {
            labels[j] = j < perClass ? 0 : 1;
            double centre = labels[j] == 0 ? -1 : 1;
            features[0, j] = centre + (0.8 * ((2 * random.NextDouble()) - 1));
            features[1, j] = centre + (0.8 * ((2 * random.NextDouble()) - 1));
        }

        return Dataset<double>.ForClassification(features, labels, 2);
    }

    /// <summary>A 2 → 4 → 2 tanh network with seeded weights.</summary>
    public static Network<double> SmallClassifier(int seed)
    {
        var random = new Random(seed);
        return new Network<double>(new Linear<double>(2, 4, random), new Tanh<double>(), new Linear<double>(4, 2, random));
    }

    /// <summary>A copy of every parameter value, flattened in network order.</summary>
    public static double[] Weights(Network<double> network) =>
        [.. network.Parameters.SelectMany(p => p.Value.ToColumnMajorArray())];

    public static double MaxDifference(double[] a, double[] b) => a.Zip(b, (x, y) => Math.Abs(x - y)).Max();
}

/// <summary>A callback built from delegates, for tests.</summary>
internal sealed class DelegateCallback(Action<TrainingContext<double>>? onBatch = null, Action<TrainingContext<double>>? onEpoch = null)
    : ITrainingCallback<double>
{
    public void OnBatchEnd(TrainingContext<double> context) => onBatch?.Invoke(context);

    public void OnEpochEnd(TrainingContext<double> context) => onEpoch?.Invoke(context);
}
