namespace NeuralNet.Tests.Samples;

/// <summary>
/// Tests that redirect the process-wide console, or train on the full Fashion-MNIST set, run one at a time:
/// <see cref="Console.SetOut(TextWriter)"/> is global, and two heavy trainings would only slow each other down.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ConsoleCollection
{
    public const string Name = "Console and heavy training";
}
