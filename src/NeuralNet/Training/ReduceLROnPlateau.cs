using System.Globalization;
using System.Numerics;

namespace NeuralNet.Training;

/// <summary>
/// Multiplies the optimizer's learning rate by <see cref="Factor"/> when the monitored metric stops improving, with
/// PyTorch's <c>torch.optim.lr_scheduler.ReduceLROnPlateau</c> semantics (threshold mode <c>'rel'</c>).
/// </summary>
/// <remarks>
/// <para>
/// After every epoch: the epoch is an improvement when its value beats the best so far by the relative
/// <see cref="Threshold"/> (for a loss: <c>value &lt; best · (1 − Threshold)</c>; for accuracy:
/// <c>value &gt; best · (1 + Threshold)</c>); the first epoch always is. An improvement resets the count of bad
/// epochs, any other epoch adds one. During a cooldown (the <see cref="Cooldown"/> epochs after a reduction) bad
/// epochs are not counted. When the count exceeds <see cref="Patience"/>, the rate becomes
/// <c>max(rate · Factor, MinLearningRate)</c> (unchanged if that differs by less than 1e-8), the count restarts and
/// the cooldown begins. So with patience 2 and the best epoch at 3, the rate is reduced at the end of epoch 6 (the
/// third epoch without improvement) and epoch 7 runs at the new rate. Note that PyTorch counts one more epoch than
/// Keras, whose reduction would come after epoch 5, and than <see cref="EarlyStopping"/>'s patience.
/// </para>
/// <para>
/// Do not combine it with <see cref="TrainerOptions.Schedule"/>, which sets the rate before every epoch or batch and
/// would undo the reduction. The callback keeps no checkpointed state: a <see cref="TrainerOptions.CheckpointPath"/>
/// checkpoint stores the reduced rate (so <see cref="Trainer{T}.Resume"/> continues at it), but the best value, the
/// count of bad epochs and the cooldown start afresh with each run.
/// </para>
/// </remarks>
/// <typeparam name="T">Element type of the network being trained.</typeparam>
public sealed class ReduceLROnPlateau<T> : ITrainingCallback<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private const double Epsilon = 1e-8; // PyTorch's eps: smaller changes are ignored
    private readonly double threshold = 1e-4;
    private object? run;
    private double best;
    private int badEpochs;
    private int cooldownLeft;

    /// <summary>Creates the callback.</summary>
    /// <param name="monitor">The metric watched. Default <see cref="MonitoredMetric.ValidationLoss"/>.</param>
    /// <param name="factor">The multiplier of the rate, in (0, 1). Default 0.1, as PyTorch.</param>
    /// <param name="patience">Epochs without improvement tolerated; ≥ 0. Default 10, as PyTorch.</param>
    /// <param name="minLearningRate">The rate never goes below it; finite and ≥ 0. Default 0.</param>
    /// <param name="cooldown">Epochs after a reduction during which bad epochs are not counted; ≥ 0. Default 0.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range; the message names it.</exception>
    public ReduceLROnPlateau(
        MonitoredMetric monitor = MonitoredMetric.ValidationLoss, double factor = 0.1, int patience = 10, double minLearningRate = 0, int cooldown = 0)
    {
        if (!(factor > 0 && factor < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(factor), factor, $"ReduceLROnPlateau: the factor must be in (0, 1), got {factor}.");
        }

        if (patience < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(patience), patience, $"ReduceLROnPlateau: the patience must be at least 0, got {patience}.");
        }

        if (!(minLearningRate >= 0) || !double.IsFinite(minLearningRate))
        {
            throw new ArgumentOutOfRangeException(nameof(minLearningRate), minLearningRate, $"ReduceLROnPlateau: the minimum learning rate must be finite and non-negative, got {minLearningRate}.");
        }

        if (cooldown < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(cooldown), cooldown, $"ReduceLROnPlateau: the cooldown must be at least 0, got {cooldown}.");
        }

        Monitor = MetricReader.Check(monitor, "ReduceLROnPlateau");
        Factor = factor;
        Patience = patience;
        MinLearningRate = minLearningRate;
        Cooldown = cooldown;
    }

    /// <summary>The metric watched.</summary>
    public MonitoredMetric Monitor { get; }

    /// <summary>The multiplier of the rate at each reduction.</summary>
    public double Factor { get; }

    /// <summary>Epochs without improvement tolerated: the rate is reduced at the next one.</summary>
    public int Patience { get; }

    /// <summary>The lower bound of the rate.</summary>
    public double MinLearningRate { get; }

    /// <summary>Epochs after a reduction during which bad epochs are not counted.</summary>
    public int Cooldown { get; }

    /// <summary>The relative improvement that counts (PyTorch's <c>threshold</c>); finite and ≥ 0. Default 1e-4, as PyTorch.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative or not finite.</exception>
    public double Threshold
    {
        get => threshold;
        init => threshold = value >= 0 && double.IsFinite(value)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(Threshold), value, $"ReduceLROnPlateau: the threshold must be finite and non-negative, got {value}.");
    }

    /// <summary>The number of reductions in the current (or last) run.</summary>
    public int Reductions { get; private set; }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">The epoch has no value for <see cref="Monitor"/> (no validation set).</exception>
    public void OnEpochEnd(TrainingContext<T> context)
    {
        if (!ReferenceEquals(run, context))
        {
            run = context;
            best = MetricReader.HigherIsBetter(Monitor) ? double.NegativeInfinity : double.PositiveInfinity;
            badEpochs = 0;
            cooldownLeft = 0;
            Reductions = 0;
        }

        double value = MetricReader.Read(context.EpochResult!, Monitor, "ReduceLROnPlateau");
        bool improved = MetricReader.HigherIsBetter(Monitor) ? value > best * (1 + threshold) : value < best * (1 - threshold);
        if (improved)
        {
            best = value;
            badEpochs = 0;
        }
        else
        {
            badEpochs++;
        }

        if (cooldownLeft > 0)
        {
            cooldownLeft--;
            badEpochs = 0;
        }

        if (badEpochs > Patience)
        {
            double old = context.Optimizer.LearningRate;
            double reduced = Math.Max(old * Factor, MinLearningRate);
            if (old - reduced > Epsilon)
            {
                context.Optimizer.LearningRate = reduced;
                Reductions++;
            }

            cooldownLeft = Cooldown;
            badEpochs = 0;
        }
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"ReduceLROnPlateau(on {Monitor}, factor {Factor}, patience {Patience}, min {MinLearningRate}, cooldown {Cooldown}, threshold {Threshold})");
}
