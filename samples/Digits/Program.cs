using NeuralNet.Samples;

namespace Digits;

/// <summary>The main sample: a 64-128-10 MLP on the embedded UCI digits.</summary>
public static class Program
{
    /// <summary>Runs the sample (usage: <c>dotnet run --project samples/Digits -c Release [-- --epochs N]</c>); returns 0, or 1 on bad arguments.</summary>
    public static int Main(string[] args)
    {
        int epochs = 30;
        var commandLine = new CommandLine("Digits", "Trains a 64-128-10 ReLU MLP on the embedded UCI handwritten digits (seeded 80/20 split).")
            .Option("--epochs", "N", $"passes over the training set (default {epochs})", v => epochs = CommandLine.Positive("--epochs", v));
        if (commandLine.Parse(args) is int exit)
        {
            return exit;
        }

        DigitsExperiment.Run(Console.Out, epochs);
        return 0;
    }
}
