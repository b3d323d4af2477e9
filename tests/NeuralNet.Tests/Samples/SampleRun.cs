namespace NeuralNet.Tests.Samples;

/// <summary>What a sample's entry point returned and printed.</summary>
internal sealed record SampleRun(int ExitCode, string[] Lines, string Errors)
{
    public string LastLine => Lines.Length > 0 ? Lines[^1] : string.Empty;

    /// <summary>Calls a sample's Main with its console output captured.</summary>
    public static SampleRun Of(Func<string[], int> main, params string[] args)
    {
        TextWriter output = Console.Out;
        TextWriter error = Console.Error;
        using var capturedOutput = new StringWriter();
        using var capturedError = new StringWriter();
        Console.SetOut(capturedOutput);
        Console.SetError(capturedError);
        int exitCode;
        try
        {
            exitCode = main(args);
        }
        finally
        {
            Console.SetOut(output);
            Console.SetError(error);
        }

        string[] lines = capturedOutput.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
        return new SampleRun(exitCode, lines, capturedError.ToString());
    }

    public static double NumberAfter(string line, string prefix)
    {
        line.Should().StartWith(prefix);
        return double.Parse(line[prefix.Length..], System.Globalization.CultureInfo.InvariantCulture);
    }
}
