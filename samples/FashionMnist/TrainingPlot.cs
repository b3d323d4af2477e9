using NeuralNet.Training;
using ScottPlot;

namespace FashionMnistSample;

/// <summary>Draws training and (when there is a validation set) validation loss (left) and accuracy (right) per epoch into one PNG.</summary>
internal static class TrainingPlot
{
    public static void Save(TrainingHistory history, double testAccuracy, string path)
    {
        double[] epochs = [.. history.Select(e => (double)e.Epoch)];
        var multiplot = new Multiplot();
        multiplot.AddPlots(2);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Columns();

        Plot loss = multiplot.GetPlot(0);
        AddLine(loss, epochs, [.. history.Select(e => e.TrainingLoss)], "training", Colors.C0);
        bool validated = history.Any(e => e.ValidationLoss is not null);
        if (validated)
        {
            AddLine(loss, epochs, [.. history.Select(e => e.ValidationLoss ?? double.NaN)], "validation", Colors.C1);
        }

        loss.Title("Cross-entropy loss");
        loss.XLabel("epoch");
        loss.YLabel("loss");
        loss.ShowLegend(Alignment.UpperRight);
        WholeEpochTicks(loss, epochs.Length);

        Plot accuracy = multiplot.GetPlot(1);
        AddLine(accuracy, epochs, [.. history.Select(e => e.TrainingAccuracy ?? double.NaN)], "training", Colors.C0);
        if (validated)
        {
            AddLine(accuracy, epochs, [.. history.Select(e => e.ValidationAccuracy ?? double.NaN)], "validation", Colors.C1);
        }

        accuracy.Title(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Accuracy (test set: {testAccuracy:F4})"));
        accuracy.XLabel("epoch");
        accuracy.YLabel("fraction correct");
        accuracy.ShowLegend(Alignment.LowerRight);
        WholeEpochTicks(accuracy, epochs.Length);

        multiplot.SavePng(path, 1200, 480);
    }

    /// <summary>Ticks on whole epochs only (never 2.5), and the x axis from half an epoch before the first to half after the last.</summary>
    private static void WholeEpochTicks(Plot plot, int epochs)
    {
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        plot.Axes.SetLimitsX(0.5, epochs + 0.5);
    }

    private static void AddLine(Plot plot, double[] xs, double[] ys, string label, Color color)
    {
        var line = plot.Add.Scatter(xs, ys, color);
        line.LegendText = label;
        line.LineWidth = 2;
        line.MarkerSize = 5;
    }
}
