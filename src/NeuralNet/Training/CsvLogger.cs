using System.Globalization;
using System.Numerics;
using System.Text;

namespace NeuralNet.Training;

/// <summary>
/// Writes one CSV row per epoch (Keras's <c>CSVLogger</c>): a header, then
/// <c>epoch,loss,accuracy,val_loss,val_accuracy,learning_rate,seconds</c> for every finished epoch.
/// </summary>
/// <remarks>
/// <para>
/// The columns are always the same; a value the run does not have (accuracy for regression, validation without a
/// validation set) is an empty cell. Numbers use the invariant culture and the shortest text that reads back the same
/// <see cref="double"/>; lines end in <c>\n</c>. Each row is appended and the file closed at once, so the file is
/// complete after every epoch, even if the process dies.
/// </para>
/// <para>
/// By default each run (each <see cref="Trainer{T}.Fit"/> or <see cref="Trainer{T}.Resume"/>) overwrites the file when
/// its first epoch starts. With <c>append</c>, rows are added to an existing file and the header is written only if
/// the file is missing or empty, which suits a resumed run. The logger keeps no checkpointed state.
/// </para>
/// </remarks>
/// <typeparam name="T">Element type of the network being trained.</typeparam>
public sealed class CsvLogger<T> : ITrainingCallback<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The header row.</summary>
    public const string Header = "epoch,loss,accuracy,val_loss,val_accuracy,learning_rate,seconds";

    private object? run;

    /// <summary>Creates the logger.</summary>
    /// <param name="path">The CSV file; its folder must exist.</param>
    /// <param name="append">Whether to add to an existing file rather than overwrite it. Default <see langword="false"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty.</exception>
    public CsvLogger(string path, bool append = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = path;
        Append = append;
    }

    /// <summary>The CSV file.</summary>
    public string Path { get; }

    /// <summary>Whether rows are added to an existing file.</summary>
    public bool Append { get; }

    /// <inheritdoc />
    /// <exception cref="IOException">The file cannot be written (a missing folder, say); nothing has been trained in this epoch.</exception>
    public void OnEpochStart(TrainingContext<T> context)
    {
        if (ReferenceEquals(run, context))
        {
            return;
        }

        run = context;
        if (!Append || !File.Exists(Path) || new FileInfo(Path).Length == 0)
        {
            File.WriteAllText(Path, Header + "\n");
        }
    }

    /// <inheritdoc />
    public void OnEpochEnd(TrainingContext<T> context) => File.AppendAllText(Path, Row(context.EpochResult!) + "\n");

    /// <summary>The row of one epoch.</summary>
    internal static string Row(EpochResult result)
    {
        var text = new StringBuilder();
        text.Append(result.Epoch.ToString(CultureInfo.InvariantCulture));
        foreach (double? value in new[] { result.TrainingLoss, result.TrainingAccuracy, result.ValidationLoss, result.ValidationAccuracy, result.LearningRate, result.Duration.TotalSeconds })
        {
            text.Append(',');
            if (value is double number)
            {
                text.Append(number.ToString("R", CultureInfo.InvariantCulture));
            }
        }

        return text.ToString();
    }
}
