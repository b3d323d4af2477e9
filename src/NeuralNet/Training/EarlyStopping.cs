using System.Globalization;

namespace NeuralNet.Training;

/// <summary>
/// Stops training once the monitored metric has not improved for <see cref="Patience"/> consecutive epochs, and by
/// default puts back the weights of the best epoch.
/// </summary>
/// <remarks>
/// An epoch improves when its value beats the best so far by more than <see cref="MinDelta"/> (lower for losses,
/// higher for accuracy). With patience <c>P</c>, if the best epoch is <c>b</c>, training ends after epoch <c>b + P</c>.
/// </remarks>
public sealed record EarlyStopping
{
    private readonly MonitoredMetric monitor = MonitoredMetric.ValidationLoss;
    private readonly double minDelta;

    /// <summary>Creates the rule.</summary>
    /// <param name="patience">Epochs without improvement to tolerate; at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="patience"/> is below 1.</exception>
    public EarlyStopping(int patience)
    {
        if (patience < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(patience), patience, $"EarlyStopping: the patience must be at least 1 epoch, got {patience}.");
        }

        Patience = patience;
    }

    /// <summary>Epochs without improvement tolerated before stopping.</summary>
    public int Patience { get; }

    /// <summary>What is watched. Default <see cref="MonitoredMetric.ValidationLoss"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a defined metric.</exception>
    public MonitoredMetric Monitor
    {
        get => monitor;
        init => monitor = Enum.IsDefined(value) ? value : throw new ArgumentOutOfRangeException(nameof(Monitor), value, "EarlyStopping: unknown metric.");
    }

    /// <summary>The smallest change that counts as an improvement; finite and ≥ 0. Default 0.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative, NaN or infinite.</exception>
    public double MinDelta
    {
        get => minDelta;
        init => minDelta = value >= 0 && double.IsFinite(value)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(MinDelta), value, $"EarlyStopping: the minimum improvement must be finite and non-negative, got {value}.");
    }

    /// <summary>Whether to copy the best epoch's weights back into the network when training ends. Default <see langword="true"/>.</summary>
    public bool RestoreBestWeights { get; init; } = true;

    /// <summary>Throws if a value is out of range.</summary>
    public void Validate()
    {
        if (!(MinDelta >= 0) || !double.IsFinite(MinDelta))
        {
            throw new ArgumentOutOfRangeException(nameof(MinDelta), MinDelta, $"EarlyStopping: the minimum improvement must be finite and non-negative, got {MinDelta}.");
        }

        if (!Enum.IsDefined(Monitor))
        {
            throw new ArgumentOutOfRangeException(nameof(Monitor), Monitor, "EarlyStopping: unknown metric.");
        }
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"EarlyStopping(patience {Patience}, on {Monitor}, min delta {MinDelta}{(RestoreBestWeights ? ", restoring best weights" : string.Empty)})");
}
