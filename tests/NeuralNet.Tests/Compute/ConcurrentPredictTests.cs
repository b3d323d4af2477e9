using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Compute;
using NeuralNet.Initializers;
using NeuralNet.Layers;

namespace NeuralNet.Tests.Compute;

/// <summary>Inference keeps no state in the layers: many threads predicting at once get the single-threaded answers exactly.</summary>
public sealed class ConcurrentPredictTests
{
    [Fact]
    public void Predict_From8Threads_EqualsSingleThreadedResults()
    {
        var random = new Random(5);
        var network = new Network<float>(
            new Linear<float>(784, 256, random, Initializer.HeNormal),
            new Relu<float>(),
            new Linear<float>(256, 128, random, Initializer.HeNormal),
            new Relu<float>(),
            new Linear<float>(128, 10, random));

        // Batch sizes that take the skinny, blocked and thread-split routes.
        int[] batches = [1, 2, 7, 64, 300];  // 784·256·300·2 = 120 MFLOP: above the split threshold
        Matrix<float>[] inputs = [.. batches.Select(n => Matrix<float>.Build.Dense(784, n, (_, _) => (float)random.NextDouble()))];
        Matrix<float>[] expected = [.. inputs.Select(network.Predict)];

        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, thread =>
        {
            for (int round = 0; round < 5; round++)
            {
                for (int b = 0; b < inputs.Length; b++)
                {
                    int which = (b + thread + round) % inputs.Length;
                    Matrix<float> actual = network.Predict(inputs[which]);
                    if (!actual.Equals(expected[which]))
                    {
                        failures.Add($"thread {thread}, round {round}, batch {batches[which]}");
                    }
                }
            }
        });

        failures.Should().BeEmpty();
    }

    [Fact]
    public void Predict_AtEveryThreadCap_GivesTheSameAnswer()
    {
        var random = new Random(6);
        var network = new Network<float>(new Linear<float>(300, 200, random), new Tanh<float>(), new Linear<float>(200, 10, random));
        Matrix<float> input = Matrix<float>.Build.Dense(300, 500, (_, _) => (float)random.NextDouble()); // 60 MFLOP first layer: split at 2 threads
        int before = ComputeInfo.MaxThreads;
        try
        {
            ComputeInfo.MaxThreads = 1;
            Matrix<float> single = network.Predict(input);
            ComputeInfo.MaxThreads = 2;
            network.Predict(input).Should().BeEquivalentTo(single);
        }
        finally
        {
            ComputeInfo.MaxThreads = before;
        }
    }
}
