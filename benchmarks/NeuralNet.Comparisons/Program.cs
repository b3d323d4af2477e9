using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using NeuralNet.Comparisons;

// Modes:
//   (default)   BenchmarkDotNet over the comparison benchmarks (BenchmarkDotNet arguments pass through, e.g.
//               --filter '*Inference*'), then a compact table of medians and ratios.
//   --check     checks that ONNX Runtime and TorchSharp compute NeuralNet's outputs for the same weights; exit 1 if not.
//   --memory    peak working set of one NeuralNet CNN training epoch (60,000 samples) in this process.
//               --memory --torch measures TorchSharp's epoch instead; --threads N sets the threads (default 2).
TorchNative.Prepare();
if (args.Contains("--check"))
{
    return Checks.Run() ? 0 : 1;
}

if (args.Contains("--memory"))
{
    int index = Array.IndexOf(args, "--threads");
    int threads = index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], System.Globalization.CultureInfo.InvariantCulture) : 2;
    MemoryMode.Run(args.Contains("--torch"), threads);
    return 0;
}

string[] benchmarkArgs = args.Contains("--filter") ? args : [.. args, "--filter", "*"];
// In process: the benchmarks run in this (already built and prepared) program, so the TorchSharp native fix of
// native/prepare.sh applies; a generated BenchmarkDotNet project would copy the unpatched library again. In process,
// BenchmarkDotNet aborts a case after its timeout (5 minutes by default): a CNN epoch case on a busy machine can take
// 10 minutes (TorchSharp at 2 threads under a load of 20 took 95 s per call), so allow an hour.
IConfig config = DefaultConfig.Instance.AddJob(
    Job.Default.WithToolchain(new InProcessEmitToolchain(TimeSpan.FromHours(1), logOutput: true)).AsMutator());
Summary[] summaries = [.. BenchmarkSwitcher.FromAssembly(typeof(Models).Assembly).Run(benchmarkArgs, config)];
string table = ComparisonTable.Build(summaries);
Console.WriteLine();
Console.WriteLine(table);
string folder = Path.Combine(Directory.GetCurrentDirectory(), "BenchmarkDotNet.Artifacts", "results");
Directory.CreateDirectory(folder);
File.WriteAllText(Path.Combine(folder, "comparisons-table.md"), table);
Console.WriteLine($"(table written to {Path.Combine(folder, "comparisons-table.md")})");
return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
