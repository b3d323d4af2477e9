using System.Numerics;

namespace NeuralNet.Optimizers;

/// <summary>
/// A copy of an optimizer's internal state (its step count and per-parameter buffers such as velocities or
/// moment estimates), so training can be checkpointed and resumed bit for bit.
/// </summary>
/// <typeparam name="T">Element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class OptimizerState<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates a state.</summary>
    /// <param name="stepCount">Number of <see cref="IOptimizer{T}.Step"/> calls made so far.</param>
    /// <param name="buffers">One dictionary per parameter, in parameter order, mapping a buffer name (e.g. <c>"velocity"</c>) to a copy of its values; a parameter without state has an empty dictionary.</param>
    public OptimizerState(long stepCount, IReadOnlyList<IReadOnlyDictionary<string, T[]>> buffers)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(stepCount);
        ArgumentNullException.ThrowIfNull(buffers);
        StepCount = stepCount;
        Buffers = buffers;
    }

    /// <summary>Number of steps taken so far.</summary>
    public long StepCount { get; }

    /// <summary>Per-parameter named buffers, in parameter order.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, T[]>> Buffers { get; }
}
