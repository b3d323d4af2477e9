using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Compute;

namespace NeuralNet.Data;

/// <summary>
/// A sequence of token ids to draw training windows from: a window of length <c>L</c> starting at <c>s</c> is the
/// input <c>ids[s .. s+L−1]</c> with the target <c>ids[s+1 .. s+L]</c> (the next token at every position), and
/// <c>s = below(Length − L)</c> from a <see cref="SplitMix64"/>.
/// </summary>
public sealed class TokenSequence
{
    private readonly ReadOnlyMemory<int> ids;

    /// <summary>Wraps <paramref name="ids"/> (not copied).</summary>
    /// <param name="ids">The token ids.</param>
    public TokenSequence(ReadOnlyMemory<int> ids)
    {
        this.ids = ids;
    }

    /// <summary>The number of tokens.</summary>
    public int Length => ids.Length;

    /// <summary>The token ids.</summary>
    public ReadOnlySpan<int> Ids => ids.Span;

    /// <summary>Draws one window start: <c>random.Below(Length − windowLength)</c>.</summary>
    /// <param name="random">The generator; one draw.</param>
    /// <param name="windowLength">The window length, less than <see cref="Length"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="windowLength"/> is not in <c>[1, Length)</c>.</exception>
    public int SampleWindowStart(SplitMix64 random, int windowLength)
    {
        ArgumentNullException.ThrowIfNull(random);
        CheckWindowLength(windowLength);
        return random.Below(Length - windowLength);
    }

    /// <summary>
    /// Copies the windows starting at <c>starts[j]</c> into column <c>j</c> of <paramref name="inputs"/> (ids
    /// <c>s .. s+L−1</c>) and of <paramref name="targets"/> (ids <c>s+1 .. s+L</c>), as numbers of type <typeparamref name="T"/>.
    /// </summary>
    /// <param name="starts">The window starts, each in <c>[0, Length − L)</c>.</param>
    /// <param name="inputs">A dense <c>L × starts.Length</c> matrix; <c>L</c> is its row count.</param>
    /// <param name="targets">A dense matrix of the same size.</param>
    /// <typeparam name="T">Element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <exception cref="ArgumentException">A matrix is not dense or its size does not match.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A start leaves no room for its target window.</exception>
    public void FillWindows<T>(ReadOnlySpan<int> starts, Matrix<T> inputs, Matrix<T> targets)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        int windowLength = inputs.RowCount;
        if (inputs.ColumnCount != starts.Length || targets.RowCount != windowLength || targets.ColumnCount != starts.Length)
        {
            throw new ArgumentException($"inputs and targets must both be L × {starts.Length} (window length × windows); got {inputs.RowCount} × {inputs.ColumnCount} and {targets.RowCount} × {targets.ColumnCount}.", nameof(targets));
        }

        CheckWindowLength(windowLength);
        T[] input = DenseStorage.Of(inputs, nameof(inputs));
        T[] target = DenseStorage.Of(targets, nameof(targets));
        ReadOnlySpan<int> all = ids.Span;
        for (int j = 0; j < starts.Length; j++)
        {
            int start = starts[j];
            if (start < 0 || start >= Length - windowLength)
            {
                throw new ArgumentOutOfRangeException(nameof(starts), start, $"A window of {windowLength} with its target needs a start in [0, {Length - windowLength}).");
            }

            Copy(all.Slice(start, windowLength), input.AsSpan(j * windowLength, windowLength));
            Copy(all.Slice(start + 1, windowLength), target.AsSpan(j * windowLength, windowLength));
        }
    }

    /// <summary>
    /// Draws a batch: <paramref name="batchSize"/> window starts, one <see cref="SampleWindowStart"/> each in column
    /// order, and their input and target windows (<see cref="FillWindows{T}"/>).
    /// </summary>
    /// <param name="random">The generator; <paramref name="batchSize"/> draws.</param>
    /// <param name="batchSize">Windows in the batch, at least 1.</param>
    /// <param name="windowLength">The window length, less than <see cref="Length"/>.</param>
    /// <typeparam name="T">Element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
    public TokenWindowBatch<T> SampleBatch<T>(SplitMix64 random, int batchSize, int windowLength)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        CheckWindowLength(windowLength);
        int[] starts = new int[batchSize];
        for (int j = 0; j < batchSize; j++)
        {
            starts[j] = random.Below(Length - windowLength);
        }

        Matrix<T> inputs = Matrix<T>.Build.Dense(windowLength, batchSize);
        Matrix<T> targets = Matrix<T>.Build.Dense(windowLength, batchSize);
        FillWindows(starts, inputs, targets);
        return new TokenWindowBatch<T>(inputs, targets, starts);
    }

    private void CheckWindowLength(int windowLength)
    {
        if (windowLength < 1 || windowLength >= Length)
        {
            throw new ArgumentOutOfRangeException(nameof(windowLength), windowLength, $"A window with its target needs a length in [1, {Length}) in a sequence of {Length} tokens.");
        }
    }

    private static void Copy<T>(ReadOnlySpan<int> from, Span<T> to)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < from.Length; i++)
        {
            to[i] = T.CreateChecked(from[i]);
        }
    }
}
