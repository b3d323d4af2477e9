using System.Globalization;
using System.Text;
using BenchmarkDotNet.Reports;

namespace NeuralNet.Comparisons;

/// <summary>The compact table of issue 10: per benchmark and setting, each library's median and NeuralNet's ratios against the others.</summary>
internal static class ComparisonTable
{
    private const string NeuralNet = "NeuralNet", Torch = "TorchSharp", Ort = "ONNX Runtime";

    private sealed record Row(string Benchmark, int Threads, int? Batch, Dictionary<string, (double Nanoseconds, long? Allocated)> Medians);

    public static string Build(IEnumerable<Summary> summaries)
    {
        var rows = new Dictionary<(string, int, int?), Row>();
        foreach (Summary summary in summaries)
        {
            foreach (BenchmarkReport report in summary.Reports)
            {
                if (report.ResultStatistics is not { } statistics)
                {
                    continue;
                }

                var parameters = report.BenchmarkCase.Parameters;
                string type = report.BenchmarkCase.Descriptor.Type.Name;
                int threads = (int)parameters["Threads"];
                int? batch = parameters.Items.Any(p => p.Name == "Batch") ? (int)parameters["Batch"] : null;
                string library = report.BenchmarkCase.Descriptor.WorkloadMethodDisplayInfo.Trim('\'');
                (string, int, int?) key = (type, threads, batch);
                if (!rows.TryGetValue(key, out Row? row))
                {
                    rows[key] = row = new Row(type, threads, batch, []);
                }

                row.Medians[library] = (statistics.Median, report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase));
            }
        }

        var text = new StringBuilder();
        text.AppendLine("| benchmark | threads | NeuralNet | TorchSharp | ONNX Runtime | NeuralNet ÷ TorchSharp | NeuralNet ÷ ORT | target | status | NeuralNet allocated/op |");
        text.AppendLine("|---|---|---|---|---|---|---|---|---|---|");
        string[] order = [nameof(CnnEpochBenchmarks), nameof(MlpEpochBenchmarks), nameof(CnnInferenceBenchmarks), nameof(MlpInferenceBenchmarks)];
        foreach (Row row in rows.Values.OrderBy(r => Array.IndexOf(order, r.Benchmark)).ThenBy(r => r.Batch).ThenBy(r => r.Threads))
        {
            double scale = row.Benchmark == nameof(CnnEpochBenchmarks) ? 60_000.0 / CnnEpochBenchmarks.SubsetSamples : 1;
            string name = row.Benchmark switch
            {
                nameof(CnnEpochBenchmarks) => $"CNN epoch (10,000 samples × {scale:0})",
                nameof(MlpEpochBenchmarks) => "MLP epoch (60,000 samples)",
                nameof(CnnInferenceBenchmarks) => $"CNN inference, batch {row.Batch}",
                nameof(MlpInferenceBenchmarks) => $"MLP inference, batch {row.Batch}",
                _ => row.Benchmark,
            };
            double? nn = Median(row, NeuralNet) * scale, torch = Median(row, Torch) * scale, ort = Median(row, Ort) * scale;
            double? versusTorch = nn / torch, versusOrt = nn / ort;
            (string target, bool? pass) = row.Benchmark switch
            {
                nameof(CnnEpochBenchmarks) => ("≤ 0.70× TorchSharp", versusTorch <= 0.70),
                nameof(MlpEpochBenchmarks) when row.Threads == 1 => ("≤ 0.55× TorchSharp", versusTorch <= 0.55),
                nameof(MlpEpochBenchmarks) => ("— (no target)", (bool?)null),
                _ => ("< 1× ORT", versusOrt < 1.0),
            };
            string status = pass switch { true => "pass", false => "**miss**", null => "—" };
            long? allocated = row.Medians.TryGetValue(NeuralNet, out var n) ? n.Allocated : null;
            text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {row.Threads} | {Time(nn)} | {Time(torch)} | {Time(ort)} | {Ratio(versusTorch)} | {Ratio(versusOrt)} | {target} | {status} | {Bytes(allocated)} |"));
        }

        return text.ToString();
    }

    private static double? Median(Row row, string library) => row.Medians.TryGetValue(library, out var value) ? value.Nanoseconds : null;

    private static string Ratio(double? ratio) => ratio is double r ? string.Create(CultureInfo.InvariantCulture, $"{r:F2}×") : "—";

    private static string Bytes(long? bytes) => bytes switch
    {
        null => "—",
        < 10_000 => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
        < 10_000_000 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e3:F1} KB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e6:F1} MB"),
    };

    private static string Time(double? nanoseconds) => nanoseconds switch
    {
        null => "—",
        >= 1e9 => string.Create(CultureInfo.InvariantCulture, $"{nanoseconds / 1e9:F3} s"),
        >= 1e6 => string.Create(CultureInfo.InvariantCulture, $"{nanoseconds / 1e6:F2} ms"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{nanoseconds / 1e3:F2} µs"),
    };
}
