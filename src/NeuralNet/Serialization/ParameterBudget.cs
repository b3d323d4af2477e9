namespace NeuralNet.Serialization;

/// <summary>
/// While a file is being loaded, caps the parameter values a layer may allocate when the registry builds it from its
/// settings, at what the file stores for that layer: a damaged or hostile setting (say, a linear layer claiming
/// 100,000 outputs) then fails before it allocates, instead of after. Applies to the current thread only.
/// </summary>
internal static class ParameterBudget
{
    [ThreadStatic]
    private static long? remaining;

    /// <summary>Sets the budget for the current thread until the returned scope is disposed.</summary>
    public static Scope Limit(long values)
    {
        long? previous = remaining;
        remaining = values;
        return new Scope(previous);
    }

    /// <summary>Spends <paramref name="values"/> of the budget, if one is set.</summary>
    /// <exception cref="ArgumentException">The budget is exceeded: the file does not store that many values.</exception>
    public static void Take(long values, string parameter)
    {
        if (remaining is long left)
        {
            if (values > left)
            {
                throw new ArgumentException(
                    $"its settings call for a parameter '{parameter}' of {values:N0} values, more than the {left:N0} the file stores for the layer");
            }

            remaining = left - values;
        }
    }

    /// <summary>Restores the previous budget when disposed.</summary>
    public readonly struct Scope(long? previous) : IDisposable
    {
        /// <inheritdoc />
        public void Dispose() => remaining = previous;
    }
}
