using MathNet.Numerics.LinearAlgebra;
using NeuralNet.Data;

namespace NeuralNet;

/// <content>Class names: what each output of a classifier means.</content>
public sealed partial class Network<T>
{
    private string[]? classNames;

    /// <summary>
    /// The name of each output class, index by index, or <see langword="null"/> when the network has none. Saved in the
    /// model file and loaded with it, so <see cref="PredictLabel(Matrix{T})"/> answers in names in another program.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Set once: by you, or by a <see cref="Training.Trainer{T}"/> from a training set that has
    /// <see cref="Dataset{T}.ClassNames"/> when the network has none. Setting the same names again does nothing; other
    /// names throw, since the outputs already mean those classes (a trainer given a dataset with other names refuses it
    /// before training).
    /// </para>
    /// <para>
    /// There must be one name per output (<see cref="OutputSize"/>), each 1 to 1,024 bytes of UTF-8, no two equal
    /// (ordinal comparison), at most 65,536. The list is copied. Checkpoints do not carry the names; model files do.
    /// </para>
    /// </remarks>
    /// <exception cref="ArgumentNullException">Set to <see langword="null"/>: names cannot be removed.</exception>
    /// <exception cref="ArgumentException">The names break the rules above, or their count differs from the output size.</exception>
    /// <exception cref="InvalidOperationException">Other names are already set, or the network's output size is unknown (no layer fixes the input shape).</exception>
    public IReadOnlyList<string>? ClassNames
    {
        get => classNames;
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            string[] names = ClassNameRules.Checked(value, "Network.ClassNames", nameof(value));
            int outputs = OutputSize ?? throw new InvalidOperationException("Network.ClassNames: the network's output size is unknown (no layer fixes the input shape), so the names cannot be checked against it; build the network with an input shape.");
            if (names.Length != outputs)
            {
                throw new ArgumentException($"Network.ClassNames: {names.Length} class names for {outputs} outputs; give one name per output.", nameof(value));
            }

            if (classNames is not null && !classNames.SequenceEqual(names, StringComparer.Ordinal))
            {
                throw new InvalidOperationException(
                    $"Network.ClassNames are already set ('{ClassNameRules.Shorten(classNames[0])}', …) and are set once: the outputs mean those classes.");
            }

            classNames = names;
        }
    }

    /// <summary>The name of the most probable class (argmax of the output) of each sample (column).</summary>
    /// <param name="input">A <c>features × batch</c> matrix.</param>
    /// <returns>One of <see cref="ClassNames"/> per sample.</returns>
    /// <exception cref="InvalidOperationException">The network has no <see cref="ClassNames"/>.</exception>
    /// <exception cref="ArgumentException">The input has the wrong number of features, or holds NaN or ∞.</exception>
    public string[] PredictLabel(Matrix<T> input)
    {
        string[] names = RequireClassNames();
        return [.. PredictClass(input).Select(k => names[k])];
    }

    /// <summary>The name of the most probable class (argmax of the output) of one sample.</summary>
    /// <param name="input">The sample's features.</param>
    /// <returns>One of <see cref="ClassNames"/>.</returns>
    /// <exception cref="InvalidOperationException">The network has no <see cref="ClassNames"/>.</exception>
    /// <exception cref="ArgumentException">The input has the wrong number of features, or holds NaN or ∞.</exception>
    public string PredictLabel(MathNet.Numerics.LinearAlgebra.Vector<T> input)
    {
        string[] names = RequireClassNames();
        return names[PredictClass(input)];
    }

    /// <summary>The name of the most probable class (argmax of the output) of one sample: <c>network.PredictLabel([5.1f, 3.5f, 1.4f, 0.2f])</c>. Thread-safe.</summary>
    /// <param name="sample">One sample's features, <see cref="InputSize"/> values.</param>
    /// <returns>One of <see cref="ClassNames"/>.</returns>
    /// <exception cref="InvalidOperationException">The network has no <see cref="ClassNames"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="sample"/> is not <see cref="InputSize"/> long, or holds NaN or ∞.</exception>
    public string PredictLabel(ReadOnlySpan<T> sample)
    {
        string[] names = RequireClassNames();
        return names[PredictClass(sample)];
    }

    private string[] RequireClassNames() =>
        classNames ?? throw new InvalidOperationException(
            "The network has no class names: set Network.ClassNames, or train it on a dataset with names (e.g. read from a CSV file whose label column holds names).");
}
