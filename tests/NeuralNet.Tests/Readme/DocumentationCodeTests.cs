namespace NeuralNet.Tests.Readme;

/// <summary>
/// Every <c>```csharp</c> block of README.md, docs/*.md and the package READMEs (src/*/README.md) compiles as a new console app's Program.cs against the
/// library (see <see cref="SnippetCompiler"/>); a block marked <c>&lt;!-- continues --&gt;</c> is compiled after the
/// C# block before it.
/// </summary>
public sealed class DocumentationCodeTests
{
    public static TheoryData<string, int> CSharpBlocks()
    {
        string root = MarkdownCode.RepositoryRoot();
        var data = new TheoryData<string, int>();
        foreach (string file in MarkdownCode.DocumentationFiles(root))
        {
            foreach (CodeBlock block in MarkdownCode.Read(root, file).Where(b => b.Language == "csharp"))
            {
                data.Add(file, block.FenceLine);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CSharpBlocks))]
    public void CSharpBlock_PastedIntoAConsoleApp_Compiles(string file, int fenceLine)
    {
        IReadOnlyList<CodeBlock> blocks = MarkdownCode.Read(MarkdownCode.RepositoryRoot(), file);
        CodeBlock block = blocks.Single(b => b.FenceLine == fenceLine);

        (byte[]? image, IReadOnlyList<string> diagnostics) =
            SnippetCompiler.Compile(MarkdownCode.ProgramSource(blocks, block), "Snippet");

        image.Should().NotBeNull(
            "the C# block at {0} should compile as a console program; the compiler says:\n{1}",
            block.Location, string.Join("\n", diagnostics));
    }

    [Fact]
    public void CSharpBlocks_AreFoundInTheReadmeAndTheDocs()
    {
        CSharpBlocks().Select(row => (string)row[0]).Should().Contain("README.md").And.Contain(f => f.StartsWith("docs/"))
            .And.Contain("src/NeuralNet/README.md").And.Contain("src/NeuralNet.Data/README.md").And.Contain("src/NeuralNet.Onnx/README.md");
    }

    [Fact]
    public void CodeBlocks_EveryFence_NamesItsLanguage()
    {
        // An unnamed fence could hold C# that no test compiles: layouts are ```text, commands ```bash or ```sh.
        string root = MarkdownCode.RepositoryRoot();
        var unnamed = MarkdownCode.DocumentationFiles(root)
            .SelectMany(file => MarkdownCode.Read(root, file))
            .Where(b => b.Language.Length == 0 || b.Language is "cs" or "c#" or "C#")
            .Select(b => b.Location);

        unnamed.Should().BeEmpty("every code block should name its language, and C# is written ```csharp");
    }

    [Fact]
    public void ContinuesMarker_EveryUse_PrecedesACSharpBlock()
    {
        string root = MarkdownCode.RepositoryRoot();
        var misplaced = MarkdownCode.DocumentationFiles(root)
            .SelectMany(file => MarkdownCode.Read(root, file))
            .Where(b => b.Continues && b.Language != "csharp")
            .Select(b => b.Location);

        misplaced.Should().BeEmpty();
    }

    [Fact]
    public void ProgramSource_ContinuationBlock_FollowsThePreviousCSharpBlockOnItsOwnLines()
    {
        const string Markdown = "# t\n\n```csharp\nint a = 1;\n```\n\n```text\nlayout\n```\n\n<!-- continues -->\n```csharp\nConsole.WriteLine(a);\n```\n";
        IReadOnlyList<CodeBlock> blocks = MarkdownCode.Parse("t.md", Markdown);

        string source = MarkdownCode.ProgramSource(blocks, blocks[2]);

        blocks.Select(b => (b.FenceLine, b.Language, b.Continues)).Should().Equal((3, "csharp", false), (7, "text", false), (12, "csharp", true));
        source.Should().Be("#line 4 \"t.md\"\nint a = 1;\n#line 13 \"t.md\"\nConsole.WriteLine(a);\n");
        SnippetCompiler.Compile(source, "Continued").Image.Should().NotBeNull();
    }

    [Fact]
    public void Compile_BrokenBlock_ReportsTheMarkdownLineAndTheCompilerMessage()
    {
        IReadOnlyList<CodeBlock> blocks = MarkdownCode.Parse("t.md", "text\n\n```csharp\nvar x = 1;\nconsole.WriteLine(x);\n```\n");

        (byte[]? image, IReadOnlyList<string> diagnostics) = SnippetCompiler.Compile(MarkdownCode.ProgramSource(blocks, blocks[0]), "Broken");

        image.Should().BeNull();
        diagnostics.Should().ContainSingle().Which.Should().StartWith("t.md(5,1): error CS0103: The name 'console' does not exist");
    }
}
