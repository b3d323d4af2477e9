using System.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace NeuralNet.Data;

/// <summary>
/// A batch of windows from a <see cref="TokenSequence"/>: input ids and target ids (the next token at every position),
/// one window per column, ids stored as the element type.
/// </summary>
/// <typeparam name="T">Element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class TokenWindowBatch<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Holds a batch.</summary>
    /// <param name="inputs">Input ids: window length × windows.</param>
    /// <param name="targets">Target ids, the same size.</param>
    /// <param name="starts">Where each window starts in its sequence.</param>
    public TokenWindowBatch(Matrix<T> inputs, Matrix<T> targets, IReadOnlyList<int> starts)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(starts);
        if (targets.RowCount != inputs.RowCount || targets.ColumnCount != inputs.ColumnCount || starts.Count != inputs.ColumnCount)
        {
            throw new ArgumentException($"inputs ({inputs.RowCount} × {inputs.ColumnCount}), targets ({targets.RowCount} × {targets.ColumnCount}) and {starts.Count} starts do not describe the same windows.", nameof(targets));
        }

        Inputs = inputs;
        Targets = targets;
        Starts = starts;
    }

    /// <summary>Input ids: window length × windows; column <c>j</c> is the window starting at <c>Starts[j]</c>.</summary>
    public Matrix<T> Inputs { get; }

    /// <summary>Target ids: the inputs shifted by one token (column <c>j</c> starts at <c>Starts[j] + 1</c>).</summary>
    public Matrix<T> Targets { get; }

    /// <summary>The start of each window in its sequence.</summary>
    public IReadOnlyList<int> Starts { get; }
}
