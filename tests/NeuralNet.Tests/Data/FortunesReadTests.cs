using NeuralNet.Data;

namespace NeuralNet.Tests.Data;

/// <summary>The fortunes recipe on a synthetic folder: which files, in which order, how they are joined, bad input.</summary>
public sealed class FortunesReadTests : IDisposable
{
    private readonly TempFiles files = new();

    public void Dispose() => files.Dispose();

    [Fact]
    public void ReadText_PlainFilesInOrdinalOrder_JoinedWithNewlines()
    {
        files.WriteText("b", "bee\n%\n");
        files.WriteText("a", "ant");
        files.WriteText("B", "Bear\n");
        files.Write("a.dat", [0, 1, 2, 0xFF]);
        files.WriteText("b.u8", "linked copy");
        files.WriteText("ä", "ärger"); // after every ASCII name in ordinal order

        string text = Fortunes.ReadText(files.Directory);

        text.Should().Be("Bear\n\nant\nbee\n%\n\närger");
    }

    [Fact]
    public void ReadText_ByteOrderMarkAndControlCharacters_AreKept()
    {
        files.Write("a", [0xEF, 0xBB, 0xBF, (byte)'h', 0x07, 0x08, (byte)'i']);

        Fortunes.ReadText(files.Directory).Should().Be("\uFEFFh\u0007\u0008i");
    }

    [Fact]
    public void ReadText_InvalidUtf8_NamesTheFileAndTheByte()
    {
        files.WriteText("a", "fine");
        string bad = files.Write("b", [(byte)'o', (byte)'k', 0xC3, (byte)'(']);

        Action read = () => Fortunes.ReadText(files.Directory);

        read.Should().Throw<DataFileException>()
            .Where(e => e.FilePath == bad && e.BytePosition == 2)
            .WithMessage($"{bad}: at byte 2: the file is not valid UTF-8 (the sequence starting with byte 0xC3 is invalid).");
    }

    [Fact]
    public void ReadText_MissingOrEmptyFolder_SaysHowToInstall()
    {
        string missing = Path.Combine(files.Directory, "nothing-here");

        ((Action)(() => Fortunes.ReadText(missing))).Should().Throw<DirectoryNotFoundException>().WithMessage($"The fortune folder {missing} does not exist*sudo apt-get install fortunes fortunes-min*");
        ((Action)(() => Fortunes.ReadText(files.Directory))).Should().Throw<FileNotFoundException>().WithMessage("*has no fortune files*");
        Fortunes.Exists(files.Directory).Should().BeFalse();
    }

    [Fact]
    public void Load_OtherFiles_FailTheSha256Check()
    {
        files.WriteText("fortunes", "You will write a test today.\n%\n");

        Action load = () => Fortunes.Load(files.Directory);

        load.Should().Throw<DataFileException>()
            .Where(e => e.FilePath == files.Directory)
            .WithMessage($"{files.Directory}: the fortune files give 31 characters with SHA-256 *, not the published 2576669 characters with 061156136416eef1fd905aeef7c15d0465545a15d7a2fd24b602309130db1093*");
    }
}
