namespace NeuralNet.Tests.Readme;

/// <summary>A fenced code block of a Markdown file.</summary>
/// <param name="File">The file's path relative to the repository root, with forward slashes.</param>
/// <param name="FenceLine">1-based line of the opening fence; the code starts on the next line.</param>
/// <param name="Language">The fence's info string (e.g. <c>csharp</c>); empty when the fence has none.</param>
/// <param name="Code">The lines between the fences.</param>
/// <param name="Continues">Whether the line before the fence (blank lines skipped) is <see cref="MarkdownCode.ContinuesMarker"/>.</param>
internal sealed record CodeBlock(string File, int FenceLine, string Language, string Code, bool Continues)
{
    public string Location => $"{File}:{FenceLine}";
}

/// <summary>Finds the fenced code blocks of Markdown files (<c>```</c> fences at the start of a line).</summary>
internal static class MarkdownCode
{
    /// <summary>
    /// Written on its own line just before a <c>```csharp</c> fence, it makes that block a continuation: the block is
    /// compiled appended to the previous C# block of the same file instead of as a program of its own.
    /// </summary>
    public const string ContinuesMarker = "<!-- continues -->";

    /// <summary>The folder holding NeuralNet.sln, found above the test's output folder.</summary>
    public static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "NeuralNet.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("NeuralNet.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>README.md, every docs/*.md and each package's src/*/README.md, relative to the repository root.</summary>
    public static IReadOnlyList<string> DocumentationFiles(string root) =>
        [
            "README.md",
            .. Directory.GetFiles(Path.Combine(root, "docs"), "*.md").Order(StringComparer.Ordinal)
                .Select(path => "docs/" + Path.GetFileName(path)),
            .. Directory.GetDirectories(Path.Combine(root, "src")).Order(StringComparer.Ordinal)
                .Where(folder => File.Exists(Path.Combine(folder, "README.md")))
                .Select(folder => $"src/{Path.GetFileName(folder)}/README.md"),
        ];

    public static IReadOnlyList<CodeBlock> Read(string root, string file) =>
        Parse(file, File.ReadAllText(Path.Combine(root, file)));

    public static IReadOnlyList<CodeBlock> Parse(string file, string markdown)
    {
        string[] lines = markdown.Replace("\r\n", "\n").Split('\n');
        var blocks = new List<CodeBlock>();
        for (int i = 0; i < lines.Length; i++)
        {
            if (!lines[i].StartsWith("```", StringComparison.Ordinal))
            {
                continue;
            }

            int fence = i;
            string language = lines[i][3..].Trim();
            int end = fence + 1;
            while (end < lines.Length && lines[end].TrimEnd() != "```")
            {
                end++;
            }

            if (end == lines.Length)
            {
                throw new InvalidOperationException($"{file}:{fence + 1}: the code block is never closed.");
            }

            int previous = fence - 1;
            while (previous >= 0 && lines[previous].Trim().Length == 0)
            {
                previous--;
            }

            bool continues = previous >= 0 && lines[previous].Trim() == ContinuesMarker;
            blocks.Add(new CodeBlock(file, fence + 1, language, string.Join("\n", lines[(fence + 1)..end]), continues));
            i = end;
        }

        return blocks;
    }

    /// <summary>
    /// The C# source of a <c>csharp</c> block as a program: the block itself, or, for a continuation, the previous
    /// C# blocks it continues followed by it. <c>#line</c> directives keep diagnostics on the Markdown file's lines.
    /// </summary>
    public static string ProgramSource(IReadOnlyList<CodeBlock> blocks, CodeBlock block)
    {
        var csharp = blocks.Where(b => b.Language == "csharp").ToList();
        int index = csharp.IndexOf(block);
        if (index < 0)
        {
            throw new ArgumentException($"{block.Location} is not a csharp block of this file.", nameof(block));
        }

        int first = index;
        while (csharp[first].Continues)
        {
            if (first == 0)
            {
                throw new InvalidOperationException($"{csharp[first].Location}: marked {ContinuesMarker} but no C# block comes before it.");
            }

            first--;
        }

        return string.Concat(csharp[first..(index + 1)]
            .Select(b => $"#line {b.FenceLine + 1} \"{b.File}\"\n{b.Code}\n"));
    }
}
