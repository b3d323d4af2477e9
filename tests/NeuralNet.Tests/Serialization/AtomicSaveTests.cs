using System.Runtime.Versioning;
using System.Text;
using NeuralNet.Onnx;
using NeuralNet.Serialization;
using NeuralNet.Tests.Data;
using static NeuralNet.Tests.Serialization.SerializationSamples;

namespace NeuralNet.Tests.Serialization;

/// <summary>
/// AtomicFile, behind Network.Save, Checkpoint.Save and ExportOnnx: permissions, temporary files and the exceptions
/// of failed saves (issue 12, items 5, 6 and 16).
/// </summary>
public sealed class AtomicSaveTests : IDisposable
{
    private const UnixFileMode PermissionBits = (UnixFileMode)0b111_111_111;
    private static readonly byte[] Old = Encoding.ASCII.GetBytes("old contents");
    private static readonly byte[] New = Encoding.ASCII.GetBytes("new contents, longer");
    private readonly string directory = Directory.CreateTempSubdirectory("nnet-atomic-save-").FullName;

    public void Dispose()
    {
        foreach (string folder in Directory.EnumerateDirectories(directory, "*", SearchOption.AllDirectories))
        {
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }

        Directory.Delete(directory, recursive: true);
    }

    [UnixFact]
    [UnsupportedOSPlatform("windows")]
    public void Save_NetworkOverA0600File_KeepsIt0600()
    {
        string path = Path.Combine(directory, "secret.nnet");
        File.WriteAllBytes(path, Old);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        NetworkWith<float>("relu", seed: 1).Save(path);

        File.GetUnixFileMode(path).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Network<float>.Load(path).Should().NotBeNull();
    }

    [UnixTheory]
    [UnsupportedOSPlatform("windows")]
    [InlineData(0b110_100_000)] // 0640
    [InlineData(0b111_101_101)] // 0755
    [InlineData(0b100_100_100)] // 0444: read-only files are replaced (the folder is writable) and stay read-only
    [InlineData(0b110_110_110)] // 0666, wider than the usual umask allows a new file
    public void Save_OverAFile_KeepsItsPermissionBits(int mode)
    {
        string path = Path.Combine(directory, "model.nnet");
        File.WriteAllBytes(path, Old);
        File.SetUnixFileMode(path, (UnixFileMode)mode);

        AtomicFile.Write(path, New);

        File.GetUnixFileMode(path).Should().Be((UnixFileMode)mode);
        File.ReadAllBytes(path).Should().Equal(New);
    }

    [UnixFact]
    [UnsupportedOSPlatform("windows")]
    public void Save_SetUserAndGroupIdBitsOfTheOldFile_AreNotCopied()
    {
        string path = Path.Combine(directory, "model.nnet");
        File.WriteAllBytes(path, Old);
        File.SetUnixFileMode(path, UnixFileMode.SetUser | UnixFileMode.SetGroup | (UnixFileMode)0b111_101_101);

        AtomicFile.Write(path, New);

        File.GetUnixFileMode(path).Should().Be((UnixFileMode)0b111_101_101);
    }

    [UnixFact]
    [UnsupportedOSPlatform("windows")]
    public void Save_NewFile_GetsTheSamePermissionsAsAnyNewFile()
    {
        string path = Path.Combine(directory, "model.nnet");
        string plain = Path.Combine(directory, "plain.bin");
        File.WriteAllBytes(plain, Old); // 0666 minus the process umask

        AtomicFile.Write(path, New);

        (File.GetUnixFileMode(path) & PermissionBits).Should().Be(File.GetUnixFileMode(plain) & PermissionBits);
    }

    [UnixFact]
    [UnsupportedOSPlatform("windows")]
    public void Save_TemporaryFile_HasTheTargetPermissionsWhileWritten()
    {
        string path = Path.Combine(directory, "secret.nnet");
        File.WriteAllBytes(path, Old);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        UnixFileMode? temporaryMode = null;

        AtomicFile.Write(path, New, beforeReplace: temporary => temporaryMode = File.GetUnixFileMode(temporary));

        temporaryMode.Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite, "other users must never be able to read the new contents");
    }

    [Fact]
    public void Save_TemporaryFile_IsHiddenAndNamedAfterTheTarget()
    {
        string path = Path.Combine(directory, "model.nnet");
        string? temporary = null;

        AtomicFile.Write(path, New, beforeReplace: written => temporary = written);

        Path.GetDirectoryName(temporary).Should().Be(directory);
        Path.GetFileName(temporary).Should().MatchRegex(@"^\.model\.nnet\.[0-9a-f]{16}\.tmp$");
        Directory.GetFiles(directory).Should().Equal(path);
    }

    [Fact]
    public void Save_TargetNameAtTheFileSystemLimit_GetsATemporaryNameThatFits()
    {
        string name = new string('é', 125) + ".nnet"; // 255 bytes of UTF-8, the usual limit for one name
        string path = Path.Combine(directory, name);
        string? temporary = null;

        AtomicFile.Write(path, New, beforeReplace: written => temporary = written);

        string temporaryName = Path.GetFileName(temporary)!;
        Encoding.UTF8.GetByteCount(temporaryName).Should().BeLessThanOrEqualTo(255);
        temporaryName.Should().MatchRegex(@"^\.é+~[0-9a-f]{8}\.[0-9a-f]{16}\.tmp$");
        File.ReadAllBytes(path).Should().Equal(New);
    }

    [Fact]
    public void Save_StaleTemporariesOfTheSameTarget_AreRemovedAndNothingElse()
    {
        string path = Path.Combine(directory, "model.nnet");
        DateTime hourAgo = DateTime.UtcNow.AddHours(-1);
        string stale = Touch(".model.nnet.0123456789abcdef.tmp", hourAgo);
        string[] kept =
        [
            Touch(".model.nnet.fedcba9876543210.tmp", DateTime.UtcNow.AddMinutes(-1)), // recent: maybe another save in progress
            Touch(".model.nnet.0123456789ABCDEF.tmp", hourAgo), // upper case: not a name we make
            Touch(".model.nnet.0123456789abcde.tmp", hourAgo), // 15 digits
            Touch(".model.nnet.0123456789abcdef.tmp.bak", hourAgo),
            Touch("model.nnet.0123456789abcdef.tmp", hourAgo), // not hidden
            Touch(".other.nnet.0123456789abcdef.tmp", hourAgo), // another target's
            Touch(".model.nnet.old.0123456789abcdef.tmp", hourAgo),
            Touch(".nnet-0123456789abcdef0123456789abcdef.tmp", hourAgo), // an earlier version's name, not tied to a target
        ];
        string folder = Path.Combine(directory, ".model.nnet.1111111111111111.tmp");
        Directory.CreateDirectory(folder);
        Directory.SetLastWriteTimeUtc(folder, hourAgo);

        AtomicFile.Write(path, New);

        File.Exists(stale).Should().BeFalse();
        kept.Should().OnlyContain(file => File.Exists(file));
        Directory.Exists(folder).Should().BeTrue();
        File.ReadAllBytes(path).Should().Equal(New);
    }

    [UnixFact]
    [UnsupportedOSPlatform("windows")]
    public void Save_SymbolicLinkNamedLikeAStaleTemporary_IsLeftAlone()
    {
        string path = Path.Combine(directory, "model.nnet");
        string target = Path.Combine(directory, "precious.bin");
        File.WriteAllBytes(target, Old);
        string link = Path.Combine(directory, ".model.nnet.0123456789abcdef.tmp");
        File.CreateSymbolicLink(link, target);
        File.SetLastWriteTimeUtc(target, DateTime.UtcNow.AddHours(-1));

        AtomicFile.Write(path, New);

        new FileInfo(link).LinkTarget.Should().Be(target);
        File.ReadAllBytes(target).Should().Equal(Old);
    }

    [Fact]
    public void Save_IntoAMissingFolder_NamesTheTarget()
    {
        string path = Path.Combine(directory, "missing", "model.nnet");

        Action save = () => AtomicFile.Write(path, New);

        save.Should().Throw<DirectoryNotFoundException>().Which.Message.Should().Contain(path).And.NotContain(".tmp");
    }

    [Fact]
    public void Save_ToAPathThatIsAFolder_NamesTheTargetAndLeavesTheFolder()
    {
        string path = Path.Combine(directory, "model.nnet");
        Directory.CreateDirectory(path);

        Action save = () => AtomicFile.Write(path, New);

        save.Should().Throw<IOException>().Which.Message.Should().Contain(path).And.Contain("folder").And.NotContain(".tmp");
        Directory.Exists(path).Should().BeTrue();
        Directory.GetFileSystemEntries(directory).Should().Equal(path);
    }

    [Fact]
    public void Save_NameTooLongForTheFileSystem_NamesTheTargetAndLeavesNoTemporary()
    {
        string path = Path.Combine(directory, new string('m', 300) + ".nnet");

        Action save = () => AtomicFile.Write(path, New);

        save.Should().Throw<PathTooLongException>().Which.Message.Should().Contain(path).And.NotContain(".tmp");
        Directory.GetFileSystemEntries(directory).Should().BeEmpty();
    }

    [LinuxFact]
    public void Save_IntoAFolderTheKernelRefuses_NamesTheTarget()
    {
        // sysfs refuses to create files even for root, so this checks a real permission failure wherever tests run.
        const string Path = "/sys/kernel/neuralnet-model.nnet";
        if (!Directory.Exists("/sys/kernel"))
        {
            return; // no sysfs (not Linux as usual): nothing to check
        }

        Action save = () => AtomicFile.Write(Path, New);

        Exception error = save.Should().Throw<Exception>().Which;
        error.Should().Match(e => e is UnauthorizedAccessException || e is IOException);
        error.Message.Should().Contain(Path).And.NotContain(".tmp");
    }

    [NonRootUnixFact]
    [UnsupportedOSPlatform("windows")]
    public void Save_IntoAReadOnlyFolder_NamesTheTarget()
    {
        string folder = Path.Combine(directory, "read-only");
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, "model.nnet");
        File.WriteAllBytes(path, Old);
        File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserExecute);

        Action save = () => AtomicFile.Write(path, New);

        save.Should().Throw<UnauthorizedAccessException>().Which.Message.Should().Contain(path).And.NotContain(".tmp");
        File.ReadAllBytes(path).Should().Equal(Old);
    }

    [Fact]
    public void Save_WritePastTheFileSizeLimit_ThrowsIOExceptionNamingTheTarget()
    {
        string path = Path.Combine(directory, "model.nnet");
        File.WriteAllBytes(path, Old);

        // Exactly what .NET throws for EFBIG, seen with `trap '' XFSZ; ulimit -f 2048` and a 4 MB FileStream write.
        Action save = () => AtomicFile.Write(path, New, beforeReplace: null, wrapTemporary: _ =>
            new FailingStream(new ArgumentOutOfRangeException("value", "Specified file length was too large for the file system.")));

        IOException error = save.Should().Throw<IOException>().Which;
        error.Message.Should().Be($"Cannot save {path}: the file would exceed the largest file this process or file system allows (file size limit).");
        error.InnerException.Should().BeOfType<ArgumentOutOfRangeException>();
        File.ReadAllBytes(path).Should().Equal(Old);
        Directory.GetFiles(directory).Should().Equal(path);
    }

    [LinuxFact]
    public void Save_FullDisk_ThrowsIOExceptionNamingTheTarget()
    {
        string path = Path.Combine(directory, "model.nnet");
        File.WriteAllBytes(path, Old);

        // /dev/full fails every write with ENOSPC, the real error of a full file system.
        Action save = () => AtomicFile.Write(path, New, beforeReplace: null, wrapTemporary: _ =>
            new FileStream("/dev/full", FileMode.Open, FileAccess.Write, FileShare.ReadWrite, bufferSize: 1));

        IOException error = save.Should().Throw<IOException>().Which;
        error.Message.Should().Be($"Cannot save {path}: no space left on the device.");
        error.InnerException!.Message.Should().Contain("No space left on device");
        File.ReadAllBytes(path).Should().Equal(Old);
        Directory.GetFiles(directory).Should().Equal(path);
    }

    [Fact]
    public void Save_UnclassifiedError_KeepsTheSystemMessageWithTheTargetInPlaceOfTheTemporary()
    {
        string temporary = Path.Combine(directory, ".model.nnet.0123456789abcdef.tmp");
        string path = Path.Combine(directory, "model.nnet");

        Exception described = AtomicFile.Describe(new IOException($"Input/output error : '{temporary}'", 5), path, temporary);

        described.Should().BeOfType<IOException>().Which.Message.Should().Be($"Cannot save {path}: Input/output error : '{path}'");
    }

    [Fact]
    public void Save_ReadOnlyFileSystem_ThrowsUnauthorizedAccessExceptionNamingTheTarget()
    {
        string temporary = Path.Combine(directory, ".model.nnet.0123456789abcdef.tmp");
        string path = Path.Combine(directory, "model.nnet");

        Exception described = AtomicFile.Describe(new IOException($"Read-only file system : '{temporary}'", 30), path, temporary);

        described.Should().BeOfType<UnauthorizedAccessException>().Which.Message.Should().Be($"Cannot save {path}: the file system is read-only.");
    }

    [UnixFact]
    [UnsupportedOSPlatform("windows")]
    public void Save_RandomNamesLeftoversAndFailures_LeaveExactlyTheExpectedFiles()
    {
        string[] pieces = ["model", ".nnet", "a b", "ü", "名前", "😀", "*", "?", "[x]", ".", "-", "~", "#", "%20", "'", "\"", ".tmp", "0123456789abcdef"];
        string[] near = [".{0}.0123456789abcdeF.tmp", "{0}.0123456789abcdef.tmp", ".{0}.0123456789abcdef.tmp.bak", ".{0}x.0123456789abcdef.tmp", ".{0}.0123456789abcdef0.tmp", ".{0}.tmp"];
        var random = new Random(99);
        for (int i = 0; i < 150; i++)
        {
            string folder = Path.Combine(directory, $"case{i}");
            Directory.CreateDirectory(folder);
            string name = string.Concat(Enumerable.Range(0, random.Next(1, 6)).Select(_ => pieces[random.Next(pieces.Length)]));
            if (random.Next(5) == 0)
            {
                name = name + new string('n', Math.Max(0, 250 - Encoding.UTF8.GetByteCount(name))); // near the 255-byte limit
            }

            if (name is "." or ".." || Encoding.UTF8.GetByteCount(name) > 255)
            {
                continue;
            }

            string path = Path.Combine(folder, name);
            string tag = AtomicFile.TemporaryTag(name);
            DateTime hourAgo = DateTime.UtcNow.AddHours(-1);
            var expected = new HashSet<string>();
            string stale = Path.Combine(folder, $".{tag}.{random.NextInt64():x16}.tmp");
            Touch(stale, hourAgo);
            foreach (string pattern in near.Where(_ => random.Next(2) == 0))
            {
                string other = string.Format(System.Globalization.CultureInfo.InvariantCulture, pattern, tag);
                if (Encoding.UTF8.GetByteCount(other) <= 255)
                {
                    expected.Add(Touch(Path.Combine(folder, other), hourAgo));
                }
            }

            expected.Add(Touch(Path.Combine(folder, $".{tag}.{random.NextInt64():x16}.tmp"), DateTime.UtcNow)); // in progress elsewhere
            bool existed = random.Next(2) == 0;
            var mode = (UnixFileMode)random.Next(0b100_000_000, 0b111_111_111 + 1);
            if (existed)
            {
                File.WriteAllBytes(path, Old);
                File.SetUnixFileMode(path, mode);
            }

            Exception? failure = random.Next(3) switch
            {
                0 => new IOException("No space left on device", 28),
                1 => new ArgumentOutOfRangeException("value", "Specified file length was too large for the file system."),
                _ => null,
            };

            Action save = () => AtomicFile.Write(path, New, beforeReplace: null, wrapTemporary: file => failure is null ? file : new FailingStream(failure));

            if (failure is null)
            {
                save.Should().NotThrow($"case {i}: {name}");
                File.ReadAllBytes(path).Should().Equal(New, $"case {i}");
                if (existed)
                {
                    File.GetUnixFileMode(path).Should().Be(mode, $"case {i}");
                }
            }
            else
            {
                save.Should().Throw<IOException>($"case {i}: {name}").Which.Message.Should().StartWith($"Cannot save {path}: ");
                if (existed)
                {
                    File.ReadAllBytes(path).Should().Equal(Old, $"case {i}");
                }
            }

            if (existed || failure is null)
            {
                expected.Add(path);
            }

            Directory.GetFileSystemEntries(folder).Should().BeEquivalentTo(expected, $"case {i}: {name}: only our stale temporary is removed, and no temporary is left");
        }
    }

    private string Touch(string name, DateTime lastWriteUtc)
    {
        string path = Path.Combine(directory, name); // name may be a full path
        File.WriteAllBytes(path, Old);
        File.SetLastWriteTimeUtc(path, lastWriteUtc);
        return path;
    }

    /// <summary>A writable stream whose every write fails with the given error.</summary>
    private sealed class FailingStream(Exception error) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw error;

        public override void Write(ReadOnlySpan<byte> buffer) => throw error;
    }
}
