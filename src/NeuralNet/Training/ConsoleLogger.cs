using System.Globalization;
using System.Numerics;
using System.Text;

namespace NeuralNet.Training;

/// <summary>
/// A training log like Keras's <c>verbose=1</c>: one line per epoch, and optionally a progress bar redrawn in place
/// during the epoch. Switch it on with <see cref="TrainerOptions.Verbose"/> (console) or add it to
/// <see cref="Trainer{T}.Callbacks"/> with any <see cref="TextWriter"/>.
/// </summary>
/// <remarks>
/// <para>Each finished epoch writes one line; fields appear when the run has them:</para>
/// <code>
/// epoch  3/20 - loss 0.4123 - accuracy 0.8750 - val_loss 0.5012 - val_accuracy 0.8000 - lr 0.01 - 0.12 s
/// </code>
/// <para>
/// <c>lr</c> is the learning rate of the epoch's last batch (<see cref="EpochResult.LearningRate"/>), the time is the
/// epoch's wall-clock time with validation. When training ends early (early stopping or
/// <see cref="TrainingContext{T}.Stop"/>) or the network ends with another epoch's weights (early stopping's
/// restore), a last line says so and names the epoch whose weights the network holds
/// (<see cref="TrainingHistory.WeightsEpoch"/>), e.g.
/// <c>stopped early after epoch 9; best epoch 6; the network holds the weights of epoch 6</c>.
/// </para>
/// <para>
/// The batch progress (<c>epoch  3/20  12/40 [=====&gt;       ] - loss 0.4310</c>, the running size-weighted mean of the
/// batch losses as the loss returns them) is rewritten in place with a carriage return about 40 times per epoch and
/// replaced by the epoch's line; it is on by default only when writing to <see cref="Console.Out"/> and the output is
/// a terminal (<see cref="Console.IsOutputRedirected"/> is <see langword="false"/>), so logs and pipes get clean lines.
/// The logger keeps no checkpointed state: after <see cref="Trainer{T}.Resume"/> it simply logs the resumed epochs.
/// </para>
/// </remarks>
/// <typeparam name="T">Element type of the network being trained.</typeparam>
public sealed class ConsoleLogger<T> : ITrainingCallback<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private const int BarWidth = 20;
    private const int UpdatesPerEpoch = 40;

    private readonly TextWriter writer;
    private int progressLength;
    private double lossSum;
    private int seen;

    /// <summary>Creates a logger.</summary>
    /// <param name="writer">Where to write; <see langword="null"/> (default) for <see cref="Console.Out"/>.</param>
    /// <param name="batchProgress">Whether to redraw a progress bar in place during each epoch; <see langword="null"/>
    /// (default) for only when <paramref name="writer"/> is the console and the output is not redirected.</param>
    public ConsoleLogger(TextWriter? writer = null, bool? batchProgress = null)
        : this(writer ?? Console.Out, batchProgress, (writer is null || ReferenceEquals(writer, Console.Out)) && !Console.IsOutputRedirected)
    {
    }

    /// <summary>Creates a logger, told whether <paramref name="writer"/> is a terminal (for tests).</summary>
    internal ConsoleLogger(TextWriter writer, bool? batchProgress, bool writesToTerminal)
    {
        this.writer = writer;
        BatchProgress = batchProgress ?? writesToTerminal;
    }

    /// <summary>Whether the progress bar is drawn during each epoch.</summary>
    public bool BatchProgress { get; }

    /// <inheritdoc />
    public void OnEpochStart(TrainingContext<T> context)
    {
        lossSum = 0;
        seen = 0;
    }

    /// <inheritdoc />
    public void OnBatchEnd(TrainingContext<T> context)
    {
        if (!BatchProgress)
        {
            return;
        }

        lossSum += context.BatchLoss * context.BatchSize;
        seen += context.BatchSize;
        int batches = context.BatchesPerEpoch;
        int every = Math.Max(1, batches / UpdatesPerEpoch);
        if (context.Batch % every != 0 && context.Batch != batches)
        {
            return;
        }

        int filled = Math.Min(BarWidth, BarWidth * context.Batch / Math.Max(1, batches));
        string bar = new string('=', Math.Max(0, filled - 1)) + (filled == BarWidth ? "=" : filled > 0 ? ">" : string.Empty) + new string(' ', BarWidth - filled);
        int width = Digits(batches);
        string text = string.Create(
            CultureInfo.InvariantCulture,
            $"{EpochLabel(context)}  {context.Batch.ToString(CultureInfo.InvariantCulture).PadLeft(width)}/{batches} [{bar}] - loss {lossSum / seen:F4}");
        writer.Write('\r' + text.PadRight(progressLength));
        progressLength = text.Length;
        writer.Flush();
    }

    /// <inheritdoc />
    public void OnEpochEnd(TrainingContext<T> context)
    {
        string line = FormatEpoch(context.EpochResult!, context.Epochs);
        if (progressLength > 0)
        {
            writer.Write('\r' + line.PadRight(progressLength));
            writer.WriteLine();
            progressLength = 0;
        }
        else
        {
            writer.WriteLine(line);
        }

        writer.Flush();
    }

    /// <inheritdoc />
    public void OnTrainingEnd(TrainingContext<T> context)
    {
        TrainingHistory history = context.History;
        if (history.Count == 0 || history.WeightsEpoch is not int weights)
        {
            return;
        }

        int last = history.Last.Epoch;
        if (history.StopReason == TrainingStopReason.Completed && weights == last)
        {
            return;
        }

        var text = new StringBuilder();
        text.Append(history.StopReason switch
        {
            TrainingStopReason.EarlyStopping => "stopped early",
            TrainingStopReason.Callback => "stopped by a callback",
            _ => "finished",
        });
        text.Append(CultureInfo.InvariantCulture, $" after epoch {last}");
        if (history.BestEpoch is int best)
        {
            text.Append(CultureInfo.InvariantCulture, $"; best epoch {best}");
        }

        text.Append(CultureInfo.InvariantCulture, $"; the network holds the weights of epoch {weights}");
        writer.WriteLine(text.ToString());
        writer.Flush();
    }

    /// <summary>The epoch's line, e.g. <c>epoch  3/20 - loss 0.4123 - accuracy 0.8750 - lr 0.01 - 0.12 s</c>.</summary>
    internal static string FormatEpoch(EpochResult result, int epochs)
    {
        var culture = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.Append(EpochLabel(result.Epoch, epochs));
        text.Append(culture, $" - loss {result.TrainingLoss:F4}");
        if (result.TrainingAccuracy is double accuracy)
        {
            text.Append(culture, $" - accuracy {accuracy:F4}");
        }

        if (result.ValidationLoss is double validationLoss)
        {
            text.Append(culture, $" - val_loss {validationLoss:F4}");
        }

        if (result.ValidationAccuracy is double validationAccuracy)
        {
            text.Append(culture, $" - val_accuracy {validationAccuracy:F4}");
        }

        if (result.LearningRate is double rate)
        {
            text.Append(culture, $" - lr {rate:G4}");
        }

        text.Append(culture, $" - {result.Duration.TotalSeconds:F2} s");
        return text.ToString();
    }

    private static string EpochLabel(TrainingContext<T> context) => EpochLabel(context.Epoch, context.Epochs);

    private static string EpochLabel(int epoch, int epochs) =>
        string.Create(CultureInfo.InvariantCulture, $"epoch {epoch.ToString(CultureInfo.InvariantCulture).PadLeft(Digits(epochs))}/{epochs}");

    private static int Digits(int value) => value.ToString(CultureInfo.InvariantCulture).Length;
}
