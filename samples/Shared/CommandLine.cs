using System.Globalization;
using System.Text;

namespace NeuralNet.Samples;

/// <summary>
/// The samples' small command-line parser (linked into each sample's project): options of the form <c>--name value</c>
/// or <c>--flag</c>, a usage text listing each option with what it does and its default, and <c>--help</c> / <c>-h</c>.
/// </summary>
internal sealed class CommandLine
{
    private readonly string program;
    private readonly string summary;
    private readonly List<(string Name, string? Value, string Help, Action<string> Set)> options = [];

    public CommandLine(string program, string summary)
    {
        this.program = program;
        this.summary = summary;
    }

    /// <summary>An option with a value; <paramref name="set"/> parses it and throws <see cref="ArgumentException"/> if it is bad.</summary>
    public CommandLine Option(string name, string value, string help, Action<string> set)
    {
        options.Add((name, value, help, set));
        return this;
    }

    /// <summary>An option without a value.</summary>
    public CommandLine Flag(string name, string help, Action set)
    {
        options.Add((name, null, help, _ => set()));
        return this;
    }

    /// <summary>What the program does, how to call it, and each option with its default.</summary>
    public string Usage
    {
        get
        {
            var text = new StringBuilder();
            text.AppendLine(summary);
            text.Append("usage: ").Append(program);
            foreach (var option in options)
            {
                text.Append(" [").Append(option.Name).Append(option.Value is null ? string.Empty : " " + option.Value).Append(']');
            }

            text.AppendLine().AppendLine("  -h, --help".PadRight(Width) + "show this help and exit");
            foreach (var option in options)
            {
                string head = $"  {option.Name}{(option.Value is null ? string.Empty : " " + option.Value)}";
                string[] lines = option.Help.Split('\n');
                text.AppendLine(head.Length < Width ? head.PadRight(Width) + lines[0] : head + Environment.NewLine + new string(' ', Width) + lines[0]);
                foreach (string line in lines.Skip(1))
                {
                    text.Append(' ', Width).AppendLine(line);
                }
            }

            return text.ToString();
        }
    }

    private int Width => Math.Min(24, options.Max(o => o.Name.Length + (o.Value?.Length + 1 ?? 0)) + 4);

    /// <summary>
    /// Applies the arguments. Returns <see langword="null"/> to go on; or the exit code to end with: 0 after printing
    /// the usage for <c>--help</c>, 1 after printing the error and the usage to standard error.
    /// </summary>
    public int? Parse(IReadOnlyList<string> args)
    {
        for (int i = 0; i < args.Count; i++)
        {
            string name = args[i];
            if (name is "--help" or "-h")
            {
                Console.Out.Write(Usage);
                return 0;
            }

            var option = options.FirstOrDefault(o => o.Name == name);
            try
            {
                if (option.Name is null)
                {
                    throw new ArgumentException($"unknown option {name}.");
                }

                if (option.Value is not null && i + 1 >= args.Count)
                {
                    throw new ArgumentException($"{name} needs a value.");
                }

                option.Set(option.Value is null ? string.Empty : args[++i]);
            }
            catch (ArgumentException error)
            {
                Console.Error.WriteLine(error.Message);
                Console.Error.Write(Usage);
                return 1;
            }
        }

        return null;
    }

    public static int Positive(string name, string text) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) && value > 0
            ? value
            : throw new ArgumentException($"{name} needs a positive integer, not '{text}'.");

    public static int Integer(string name, string text) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value)
            ? value
            : throw new ArgumentException($"{name} needs an integer, not '{text}'.");

    public static double Number(string name, string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && double.IsFinite(value)
            ? value
            : throw new ArgumentException($"{name} needs a number, not '{text}'.");

    public static string NonEmpty(string name, string text) =>
        text.Length > 0 ? text : throw new ArgumentException($"{name} needs a non-empty value.");
}
