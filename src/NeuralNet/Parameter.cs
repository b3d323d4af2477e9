using System.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace NeuralNet;

/// <summary>
/// A trainable tensor and its gradient: the (value, gradient) pair that optimizers update without
/// knowing which layer owns it.
/// </summary>
/// <remarks>
/// Both the value and the gradient are dense column-major matrices whose storage is exposed as spans
/// (<see cref="ValueSpan"/>, <see cref="GradientSpan"/>) for allocation-free optimizer updates.
/// A layer's <c>Backward</c> overwrites (does not accumulate) the gradient.
/// </remarks>
/// <typeparam name="T">Element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class Parameter<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] values;
    private readonly T[] gradients;

    /// <summary>Creates a zero-valued parameter of the given shape.</summary>
    /// <param name="name">Name used in messages and model files, e.g. <c>"weight"</c>.</param>
    /// <param name="rows">Number of rows.</param>
    /// <param name="columns">Number of columns (1 for a bias vector).</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is below 1, or there are more values than an array holds.</exception>
    public Parameter(string name, int rows, int columns)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        if ((long)rows * columns > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(
                nameof(rows), rows, $"Parameter '{name}': {rows:N0} × {columns:N0} values are more than an array holds ({Array.MaxLength:N0}).");
        }

        Name = name;
        Serialization.ParameterBudget.Take((long)rows * columns, name);
        values = new T[checked(rows * columns)];
        gradients = new T[values.Length];
        Value = Matrix<T>.Build.Dense(rows, columns, values);
        Gradient = Matrix<T>.Build.Dense(rows, columns, gradients);
    }

    /// <summary>
    /// The same tensor under another name: value and gradient share <paramref name="shared"/>'s storage. A block of
    /// layers lists its inner layers' parameters this way, named by position (<c>"0.weight"</c>, as PyTorch's
    /// <c>state_dict</c> names a submodule's), and spends no parameter budget since it allocates nothing.
    /// </summary>
    internal Parameter(string name, Parameter<T> shared)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(shared);
        Name = name;
        values = shared.values;
        gradients = shared.gradients;
        Value = shared.Value;
        Gradient = shared.Gradient;
    }

    /// <summary>Name of the parameter within its layer, e.g. <c>"weight"</c> or <c>"bias"</c>.</summary>
    public string Name { get; }

    /// <summary>The current value; a view on the parameter's storage, so writes change the model.</summary>
    public Matrix<T> Value { get; }

    /// <summary>The gradient of the loss with respect to <see cref="Value"/>, written by the last backward pass.</summary>
    public Matrix<T> Gradient { get; }

    /// <summary>Number of scalar elements.</summary>
    public int Length => values.Length;

    /// <summary>The value's storage in column-major order.</summary>
    public Span<T> ValueSpan => values;

    /// <summary>The value's storage as memory, for code that keeps a reference beyond a call (snapshots of the best weights).</summary>
    internal Memory<T> ValueMemory => values;

    /// <summary>The gradient's storage in column-major order.</summary>
    public Span<T> GradientSpan => gradients;

    /// <inheritdoc />
    public override string ToString() => $"{Name} ({Value.RowCount} × {Value.ColumnCount})";
}
