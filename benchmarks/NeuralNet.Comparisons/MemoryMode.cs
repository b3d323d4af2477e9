using System.Diagnostics;
using NeuralNet.Data;
using NeuralNet.Losses;
using NeuralNet.Optimizers;
using NeuralNet.Schedules;
using NeuralNet.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace NeuralNet.Comparisons;

/// <summary>
/// The <c>--memory</c> mode: one full CNN training epoch (60,000 samples, the recipe of <see cref="CnnEpochBenchmarks"/>)
/// in this process, then its peak working set (<see cref="Process.PeakWorkingSet64"/>: data, runtime and library included).
/// </summary>
internal static class MemoryMode
{
    public static void Run(bool torchSharp, int threads)
    {
        if (torchSharp)
        {
            Threads.Use(threads);
            Console.WriteLine($"threads: {Threads.Describe()}");
        }
        else
        {
            // Not Threads.Use: that loads libtorch, whose pages would count in NeuralNet's working set.
            NeuralNet.Compute.ComputeInfo.MaxThreads = threads;
            Console.WriteLine($"threads: NeuralNet: {NeuralNet.Compute.ComputeInfo.Describe()} (libtorch not loaded)");
        }

        long before = Current();
        Dataset<float> data = FashionData.Training();
        long loaded = Current();
        var clock = Stopwatch.StartNew();
        if (torchSharp)
        {
            TorchEpoch(data);
        }
        else
        {
            var trainer = new Trainer<float>(Models.Cnn(EpochBenchmarks.Seed), new CrossEntropyLoss<float>(),
                new Sgd<float>(0.05, momentum: 0.9, weightDecay: 5e-4),
                new TrainerOptions { Epochs = 1, BatchSize = EpochBenchmarks.BatchSize, Seed = EpochBenchmarks.Seed, Schedule = new CosineAnnealingSchedule(10) });
            Console.WriteLine($"loss {trainer.Fit(data)[0].TrainingLoss:F4}");
        }

        clock.Stop();
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        Console.WriteLine($"library: {(torchSharp ? "TorchSharp" : "NeuralNet")}, CNN epoch of {data.Count:N0} samples, {threads} thread(s): {clock.Elapsed.TotalSeconds:F2} s (one run, no warm-up)");
        Console.WriteLine($"working set: {before / 1e6:F0} MB at start, {loaded / 1e6:F0} MB with the data loaded");
        Console.WriteLine($"peak working set MB: {process.PeakWorkingSet64 / 1e6:F0}   (MiB: {process.PeakWorkingSet64 / 1048576.0:F0})");
    }

    private static long Current()
    {
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return process.WorkingSet64;
    }

    private static void TorchEpoch(Dataset<float> data)
    {
        torch.manual_seed(EpochBenchmarks.Seed);
        nn.Module<Tensor, Tensor> model = Models.ToTorch(Models.Cnn(EpochBenchmarks.Seed));
        model.train();
        torch.optim.Optimizer optimizer = torch.optim.SGD(model.parameters(), 0.05, momentum: 0.9, weight_decay: 5e-4);
        var loss = nn.CrossEntropyLoss();
        Dataset<float> shuffled = data.Shuffle(EpochBenchmarks.Seed);
        float[] images = FashionData.Storage(shuffled.Features);
        for (int start = 0; start < shuffled.Count; start += EpochBenchmarks.BatchSize)
        {
            using DisposeScope scope = torch.NewDisposeScope();
            int count = Math.Min(EpochBenchmarks.BatchSize, shuffled.Count - start);
            Tensor x = torch.tensor(images.AsSpan(start * 784, count * 784).ToArray(), [count, 1, 28, 28]);
            Tensor y = torch.tensor(Enumerable.Range(start, count).Select(i => (long)shuffled.Labels![i]).ToArray(), [count]);
            optimizer.zero_grad();
            Tensor value = loss.forward(model.forward(x), y);
            value.backward();
            optimizer.step();
        }
    }
}
