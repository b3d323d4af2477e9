using System.Globalization;
using Digits;

// Usage: dotnet run --project samples/Digits -c Release [-- --epochs N]
int epochs = 30;
for (int i = 0; i < args.Length; i++)
{
    if (args[i] == "--epochs" && i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value > 0)
    {
        epochs = value;
        i++;
    }
    else
    {
        Console.Error.WriteLine($"Unknown argument '{args[i]}'. Usage: Digits [--epochs N]");
        return 2;
    }
}

DigitsExperiment.Run(Console.Out, epochs);
return 0;
