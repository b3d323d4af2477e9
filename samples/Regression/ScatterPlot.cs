using ScottPlot;

namespace RegressionSample;

/// <summary>Predicted against actual disease progression, with the diagonal a perfect model would lie on.</summary>
internal static class ScatterPlot
{
    public static void Save(double[] actual, double[] predicted, double rSquared, string path)
    {
        var plot = new Plot();
        var points = plot.Add.ScatterPoints(actual, predicted, Colors.C0);
        points.MarkerSize = 7;
        points.LegendText = "test patients";

        double low = Math.Min(actual.Min(), predicted.Min());
        double high = Math.Max(actual.Max(), predicted.Max());
        var diagonal = plot.Add.Line(low, low, high, high);
        diagonal.Color = Colors.Gray;
        diagonal.LinePattern = LinePattern.Dashed;
        diagonal.LegendText = "predicted = actual";

        plot.Title(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Diabetes progression, test set (R² = {rSquared:F3})"));
        plot.XLabel("actual");
        plot.YLabel("predicted");
        plot.ShowLegend(Alignment.UpperLeft);
        plot.SavePng(path, 640, 560);
    }
}
