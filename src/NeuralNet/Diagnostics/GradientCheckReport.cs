using System.Globalization;
using System.Text;

namespace NeuralNet.Diagnostics;

/// <summary>The outcome of a <see cref="GradientCheck"/>: whether every entry passed, how many were checked, and the worst ones.</summary>
public sealed class GradientCheckReport
{
    internal GradientCheckReport(string subject, int entriesChecked, int entriesFailed, IReadOnlyList<GradientCheckEntry> worst, IReadOnlyList<string> tensors)
    {
        Subject = subject;
        EntriesChecked = entriesChecked;
        EntriesFailed = entriesFailed;
        Worst = worst;
        Tensors = tensors;
    }

    /// <summary>What was checked, e.g. the layer's name.</summary>
    public string Subject { get; }

    /// <summary>Whether every checked entry is within its tolerance (an entry whose values are not finite fails).</summary>
    public bool Passed => EntriesFailed == 0;

    /// <summary>The number of entries compared.</summary>
    public int EntriesChecked { get; }

    /// <summary>The number of entries outside their tolerance.</summary>
    public int EntriesFailed { get; }

    /// <summary>The tensors checked: <c>"input"</c> and each parameter.</summary>
    public IReadOnlyList<string> Tensors { get; }

    /// <summary>The entries with the largest error relative to their tolerance, worst first.</summary>
    public IReadOnlyList<GradientCheckEntry> Worst { get; }

    /// <summary>A verdict line and a table of the worst entries.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Gradient check of {Subject}: {(Passed ? "passed" : "FAILED")} ({EntriesChecked:N0} entries of {string.Join(", ", Tensors)}){(Passed ? string.Empty : $", {EntriesFailed:N0} outside their tolerance")}");
        foreach (GradientCheckEntry e in Worst)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {e.Tensor}[{e.Index}]: analytic {e.Analytic:G10}, numeric {e.Numeric:G10}, error {e.Error:G3} (tolerance {e.Tolerance:G3}){(e.Passed ? string.Empty : "  ← fails")}");
        }

        return text.ToString().TrimEnd();
    }
}
