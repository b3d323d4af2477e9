using BenchmarkDotNet.Attributes;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Compute;
using NeuralNet.Data;
using NeuralNet.Layers;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Training;

namespace NeuralNet.Benchmarks;

/// <summary>
/// What the background batch thread costs where a step is short, through the public <c>Trainer.Fit</c>: one epoch of a
/// 64-128-10 ReLU MLP on 1,440 samples in batches of 32 (the Digits sample's size), and 200 epochs of the XOR 2-8-2
/// network (one batch of 4 per epoch), with <see cref="TrainerOptions.AssembleBatchesInBackground"/> off and on.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 9)]
public class BackgroundAssemblyOverheadBenchmarks
{
    private Dataset<float> digits = null!, xor = null!;
    private Trainer<float> digitsTrainer = null!, xorTrainer = null!;

    /// <summary>Whether batches are assembled on the background thread.</summary>
    [Params(false, true)]
    public bool Background { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        ComputeInfo.MaxThreads = 1;
        var random = new Random(1);
        digits = Dataset<float>.ForClassification(
            Matrix<float>.Build.Dense(64, 1440, (_, _) => random.Next(17)), [.. Enumerable.Range(0, 1440).Select(j => j % 10)], 10);
        xor = Dataset<float>.ForClassification(Matrix<float>.Build.DenseOfColumnArrays([0f, 0f], [0f, 1f], [1f, 0f], [1f, 1f]), [0, 1, 1, 0]);
        digitsTrainer = new Trainer<float>(
            new Network<float>(new Linear<float>(64, 128, random), new Relu<float>(), new Linear<float>(128, 10, random)),
            new CrossEntropyLoss<float>(), new Sgd<float>(0.01, momentum: 0.9),
            new TrainerOptions { Epochs = 1, BatchSize = 32, Seed = 1, AssembleBatchesInBackground = Background });
        xorTrainer = new Trainer<float>(
            new Network<float>(new Linear<float>(2, 8, random), new Tanh<float>(), new Linear<float>(8, 2, random)),
            new CrossEntropyLoss<float>(), new Sgd<float>(0.1, momentum: 0.9),
            new TrainerOptions { Epochs = 200, BatchSize = 4, Seed = 1, AssembleBatchesInBackground = Background });
    }

    [Benchmark(Description = "Fit: Digits-sized MLP epoch, 45 batches of 32")]
    public double DigitsEpoch() => digitsTrainer.Fit(digits)[0].TrainingLoss;

    [Benchmark(Description = "Fit: XOR, 200 epochs of one batch")]
    public double Xor200Epochs() => xorTrainer.Fit(xor)[^1].TrainingLoss;
}
