namespace FashionMnistSample;

/// <summary>
/// Cosine decay of the learning rate over the run: epoch <c>e</c> of <c>E</c> uses
/// <c>η_e = η₀ · ½ · (1 + cos(π · (e − 1) / E))</c>, from <c>η₀</c> down towards 0, so the last epochs settle into
/// a minimum instead of bouncing around it. Applied between epochs, from the trainer's progress report.
/// </summary>
internal sealed class LearningRateSchedule(double initial, int epochs, bool enabled)
{
    public double ForEpoch(int epoch) =>
        enabled ? initial * 0.5 * (1 + Math.Cos(Math.PI * (epoch - 1) / epochs)) : initial;
}
