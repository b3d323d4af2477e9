using System.Globalization;
using NeuralNet.Data;
using NeuralNet.Training;
using Spectre.Console;

namespace FashionMnistSample;

/// <summary>
/// Runs training while showing its progress: a live Spectre.Console bar on a terminal, or one plain line per epoch
/// when the output is redirected (logs and CI stay free of escape codes).
/// </summary>
internal static class EpochProgress
{
    public static TrainingHistory Run(Trainer<float> trainer, Dataset<float> training, Dataset<float>? validation, int epochs)
    {
        if (Console.IsOutputRedirected || !AnsiConsole.Profile.Capabilities.Interactive)
        {
            return trainer.Fit(training, validation, new Reporter(result => Console.WriteLine(result.ToString())));
        }

        TrainingHistory? history = null;
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                ProgressTask task = context.AddTask($"epoch 1/{epochs}", maxValue: epochs);
                history = trainer.Fit(training, validation, new Reporter(result =>
                {
                    AnsiConsole.MarkupLine(Markup.Escape(result.ToString()));
                    int shown = Math.Min(result.Epoch + 1, epochs);
                    task.Description = result.ValidationAccuracy is double accuracy
                        ? string.Create(CultureInfo.InvariantCulture, $"epoch {shown}/{epochs} [grey]loss[/] {result.TrainingLoss:F4} [grey]val acc[/] {accuracy:F4}")
                        : string.Create(CultureInfo.InvariantCulture, $"epoch {shown}/{epochs} [grey]loss[/] {result.TrainingLoss:F4} [grey]acc[/] {result.TrainingAccuracy:F4}");
                    task.Increment(1);
                }));
            });
        return history!;
    }

    /// <summary>Reports synchronously on the training thread (<see cref="Progress{T}"/> would post to the thread pool and reorder lines).</summary>
    private sealed class Reporter(Action<EpochResult> report) : IProgress<EpochResult>
    {
        public void Report(EpochResult value) => report(value);
    }
}
