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
        // The target is the data set's disease-progression score (a unitless scale, about 25–346), shown in its original
        // units: the predictions were mapped back through the target scaler.
        plot.XLabel("actual progression (score, original units)");
        plot.YLabel("predicted progression (score, original units)");
        plot.ShowLegend(Alignment.UpperLeft);
        plot.SavePng(path, 640, 560);
    }
}
