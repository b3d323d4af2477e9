using System.Numerics;
using NeuralNet.Data;

namespace NeuralNet.Training;

/// <summary>
/// Class names between the datasets of a run and the network: names that disagree are refused before training, and a
/// network without names takes the training set's.
/// </summary>
internal static class ClassNameAdoption
{
    /// <summary>Refuses datasets whose class names differ from the network's or from each other's, or do not fit its outputs.</summary>
    /// <returns>The names the network should take once every other check has passed, or <see langword="null"/>.</returns>
    /// <exception cref="ArgumentException">The names disagree; nothing has changed.</exception>
    public static IReadOnlyList<string>? Check<T>(Network<T> network, Dataset<T> training, Dataset<T>? validation)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        IReadOnlyList<string>? reference = network.ClassNames ?? training.ClassNames;
        string source = network.ClassNames is null ? "the training set's" : "the network's";
        Compare(reference, source, training, nameof(training));
        if (validation is not null)
        {
            Compare(reference ?? validation.ClassNames, source, validation, nameof(validation));
        }

        if (network.ClassNames is not null || training.ClassNames is not { } names || network.OutputSize is not int outputs)
        {
            return null;
        }

        return names.Count == outputs
            ? names
            : throw new ArgumentException(
                $"The training set names {names.Count} classes ('{ClassNameRules.Shorten(names[0])}', …) but the network has {outputs} outputs; the names could not be the network's.",
                nameof(training));
    }

    private static void Compare<T>(IReadOnlyList<string>? reference, string source, Dataset<T> data, string parameterName)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (reference is null || data.ClassNames is not { } names || names.SequenceEqual(reference, StringComparer.Ordinal))
        {
            return;
        }

        int k = Enumerable.Range(0, Math.Min(names.Count, reference.Count)).FirstOrDefault(i => names[i] != reference[i], Math.Min(names.Count, reference.Count));
        string what = k < Math.Min(names.Count, reference.Count)
            ? $"class {k} is '{ClassNameRules.Shorten(names[k])}' in the {parameterName} set but '{ClassNameRules.Shorten(reference[k])}' in {source} names"
            : $"the {parameterName} set names {names.Count} classes, {source} names {reference.Count}";
        throw new ArgumentException($"The class names disagree: {what}. Labels would mean different classes.", parameterName);
    }
}
