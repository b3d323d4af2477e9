using System.Globalization;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using NeuralNet.Compute;

Console.WriteLine($"NeuralNet compute: {ComputeInfo.Describe()}");
IEnumerable<Summary> summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);

// The headline line the issue asks for: the median one-thread epoch, when the epoch benchmark ran.
foreach (Summary summary in summaries)
{
    foreach (BenchmarkReport report in summary.Reports)
    {
        if (report.BenchmarkCase.Descriptor.Type == typeof(NeuralNet.Benchmarks.EpochBenchmarks)
            && report.BenchmarkCase.Parameters["Threads"] is 1
            && report.ResultStatistics is { } statistics)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"epoch seconds (1 thread): {statistics.Median / 1e9:F3}"));
        }
    }
}
