using System.IO.Hashing;
using System.Security.Cryptography;
using System.Text;

namespace NeuralNet.Serialization;

/// <summary>
/// Replaces a file all at once: the bytes go to a temporary file in the same directory, which is flushed to disk
/// and then renamed over the destination, so a crash or error at any point leaves either the old file or the new
/// one, never a mixture.
/// </summary>
/// <remarks>
/// <para>
/// <b>Permissions.</b> On Unix the new file gets the permission bits (<c>rwx</c> for user, group, others) of the file
/// it replaces, from the moment the temporary file is created, so contents saved over a <c>0600</c> file are never
/// readable by others. Set-user-ID, set-group-ID and sticky bits are not copied. A new file gets the default of any
/// new file (<c>0666</c> minus the umask). The owner is the saving user, as with any replace-by-rename.
/// </para>
/// <para>
/// <b>Temporary files</b> are named <c>.&lt;target name&gt;.&lt;16 hex digits&gt;.tmp</c> beside the target (for a name
/// too long for that, <c>.&lt;prefix&gt;~&lt;8 hex digits of a hash of the name&gt;.&lt;16 hex digits&gt;.tmp</c>, at
/// most 255 UTF-8 bytes). A save that is killed can leave one behind; each later save of the same target deletes the
/// regular files (not links or folders) whose names match that exact pattern and that were last written more than
/// <see cref="StaleAfter"/> ago. Nothing else is ever deleted.
/// </para>
/// <para>
/// <b>Errors.</b> Every operating-system failure is an <see cref="IOException"/> (or one of its subtypes:
/// <see cref="DirectoryNotFoundException"/>, <see cref="PathTooLongException"/>) or an
/// <see cref="UnauthorizedAccessException"/>, whose message names the target path, never the temporary file; the
/// original error is the inner exception. In particular the file-size limit (EFBIG), which .NET reports as an
/// <see cref="ArgumentOutOfRangeException"/>, becomes an <see cref="IOException"/>.
/// </para>
/// </remarks>
internal static class AtomicFile
{
    /// <summary>A temporary file of ours this old is left over from a killed save; younger ones may belong to a save in progress.</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(15);

    /// <summary>The usual limit of one file name (ext4, XFS, Btrfs, APFS, NTFS in UTF-16 units), in UTF-8 bytes.</summary>
    private const int MaxNameBytes = 255;

    private const int RandomDigits = 16;
    private const string Suffix = ".tmp";

    /// <summary>Bytes of a temporary name that are not the tag: the leading dot, <c>.&lt;digits&gt;</c> and the suffix.</summary>
    private const int FixedNameBytes = 1 + 1 + RandomDigits + 4;

    /// <summary>Only the permission bits are carried over: never set-user-ID, set-group-ID or sticky.</summary>
    private const UnixFileMode PermissionBits = (UnixFileMode)0b111_111_111;

    private const int ENOSPC = 28; // also ERROR_DISK_FULL (0x70) and ERROR_HANDLE_DISK_FULL (0x27) on Windows, below
    private const int EFBIG = 27;
    private const int EROFS = 30;
    private const int EISDIR = 21;

    /// <summary>Writes <paramref name="contents"/> to <paramref name="path"/> atomically.</summary>
    /// <param name="path">The destination; its directory must exist.</param>
    /// <param name="contents">The complete file.</param>
    /// <param name="beforeReplace">Test seam: called with the temporary file's path after it is written and flushed, before the rename.</param>
    /// <exception cref="IOException">The file cannot be written (the message names <paramref name="path"/>).</exception>
    /// <exception cref="UnauthorizedAccessException">Permission is denied or the file system is read-only (the message names <paramref name="path"/>).</exception>
    public static void Write(string path, ReadOnlySpan<byte> contents, Action<string>? beforeReplace = null) =>
        Write(path, contents, beforeReplace, wrapTemporary: null);

    /// <summary>As <see cref="Write(string, ReadOnlySpan{byte}, Action{string}?)"/>, with a test seam for failures of the file system.</summary>
    /// <param name="path">The destination; its directory must exist.</param>
    /// <param name="contents">The complete file.</param>
    /// <param name="beforeReplace">Called with the temporary file's path after it is written and flushed, before the rename.</param>
    /// <param name="wrapTemporary">Given the temporary file's stream, returns the stream to write the contents to (e.g. one that fails like a full disk).</param>
    internal static void Write(string path, ReadOnlySpan<byte> contents, Action<string>? beforeReplace, Func<FileStream, Stream>? wrapTemporary)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string fullPath = Path.GetFullPath(path);
        string name = Path.GetFileName(fullPath);
        string directory = Path.GetDirectoryName(fullPath) ?? throw new ArgumentException($"'{path}' has no directory.", nameof(path));
        if (name.Length == 0)
        {
            throw new ArgumentException($"'{path}' names a folder, not a file.", nameof(path));
        }

        if (Directory.Exists(fullPath))
        {
            throw new IOException($"Cannot save {path}: it is a folder.");
        }

        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"Cannot save {path}: the folder {directory} does not exist.");
        }

        string tag = TemporaryTag(name);
        RemoveStaleTemporaries(directory, tag);
        string temporary = Path.Combine(directory, $".{tag}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(RandomDigits / 2))}{Suffix}");
        try
        {
            WriteTemporary(temporary, PermissionsToKeep(fullPath), contents, wrapTemporary);
        }
        catch (Exception error) when (IsFileSystemFailure(error))
        {
            TryDelete(temporary);
            throw Describe(error, path, temporary);
        }

        try
        {
            beforeReplace?.Invoke(temporary);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }

        try
        {
            File.Move(temporary, fullPath, overwrite: true);
        }
        catch (Exception error) when (IsFileSystemFailure(error))
        {
            TryDelete(temporary);
            throw Describe(error, path, temporary);
        }
    }

    /// <summary>
    /// The part of a temporary name that ties it to the target: the target's name, or for a name too long to fit,
    /// a prefix of it, <c>~</c> and 8 hex digits of the CRC-32 of the whole name.
    /// </summary>
    internal static string TemporaryTag(string name)
    {
        int room = MaxNameBytes - FixedNameBytes;
        if (Encoding.UTF8.GetByteCount(name) <= room)
        {
            return name;
        }

        string hash = Convert.ToHexStringLower(Crc32.Hash(Encoding.UTF8.GetBytes(name)));
        int budget = room - 1 - hash.Length;
        int length = 0;
        int bytes = 0;
        while (length < name.Length)
        {
            int step = char.IsSurrogatePair(name, length) ? 2 : 1;
            int size = Encoding.UTF8.GetByteCount(name.AsSpan(length, step));
            if (bytes + size > budget)
            {
                break;
            }

            bytes += size;
            length += step;
        }

        return $"{name[..length]}~{hash}";
    }

    /// <summary>Whether <paramref name="fileName"/> is exactly a temporary name this class makes for <paramref name="tag"/>.</summary>
    internal static bool IsTemporaryOf(string fileName, string tag)
    {
        ReadOnlySpan<char> rest = fileName;
        if (rest.Length != 1 + tag.Length + 1 + RandomDigits + Suffix.Length
            || rest[0] != '.'
            || !rest.Slice(1, tag.Length).SequenceEqual(tag)
            || rest[1 + tag.Length] != '.'
            || !rest.EndsWith(Suffix, StringComparison.Ordinal))
        {
            return false;
        }

        foreach (char c in rest.Slice(2 + tag.Length, RandomDigits))
        {
            if (!char.IsAsciiHexDigitLower(c))
            {
                return false;
            }
        }

        return true;
    }

    private static void WriteTemporary(string temporary, UnixFileMode? mode, ReadOnlySpan<byte> contents, Func<FileStream, Stream>? wrapTemporary)
    {
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
            BufferSize = 1 << 16,
        };
        if (mode is UnixFileMode requested && !OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = requested; // never wider than the target's, even before the chmod below
        }

        using var file = new FileStream(temporary, options);
        if (mode is UnixFileMode exact && !OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(file.SafeFileHandle, exact); // the umask may have removed bits the target had
        }

        Stream output = wrapTemporary?.Invoke(file) ?? file;
        using (output == file ? null : output)
        {
            output.Write(contents);
            output.Flush();
        }

        file.Flush(flushToDisk: true);
    }

    /// <summary>The permission bits of the file being replaced, or <see langword="null"/> (a new file, or Windows).</summary>
    private static UnixFileMode? PermissionsToKeep(string fullPath)
    {
        if (OperatingSystem.IsWindows())
        {
            return null;
        }

        try
        {
            return File.Exists(fullPath) ? File.GetUnixFileMode(fullPath) & PermissionBits : null;
        }
        catch (Exception error) when (IsFileSystemFailure(error))
        {
            return null; // gone in the meantime, or not ours to inspect: the rename decides
        }
    }

    /// <summary>Deletes leftovers of killed saves of the same target; never fails the save.</summary>
    private static void RemoveStaleTemporaries(string directory, string tag)
    {
        // The tag goes into the search pattern only when it holds no wildcard; the exact check below decides anyway.
        string pattern = tag.AsSpan().IndexOfAny('*', '?') >= 0 ? $".*{Suffix}" : $".{tag}.*{Suffix}";
        var options = new EnumerationOptions
        {
            AttributesToSkip = FileAttributes.ReparsePoint, // not symbolic links; hidden files are exactly what we look for
            IgnoreInaccessible = true,
            MatchCasing = MatchCasing.CaseSensitive,
            MatchType = MatchType.Simple,
            RecurseSubdirectories = false,
        };
        DateTime cutoff = DateTime.UtcNow - StaleAfter;
        try
        {
            foreach (FileInfo file in new DirectoryInfo(directory).EnumerateFiles(pattern, options))
            {
                if (IsTemporaryOf(file.Name, tag) && file.LastWriteTimeUtc < cutoff && (file.Attributes & FileAttributes.ReparsePoint) == 0)
                {
                    TryDelete(file.FullName);
                }
            }
        }
        catch (Exception error) when (IsFileSystemFailure(error))
        {
            // Cleaning up is a courtesy: the save itself reports any real problem with the folder.
        }
    }

    /// <summary>
    /// An error of the file system. .NET reports EFBIG (a write past the process's or the file system's file-size
    /// limit) as <see cref="ArgumentOutOfRangeException"/> for parameter "value"; nothing else in the guarded code
    /// throws that exception.
    /// </summary>
    private static bool IsFileSystemFailure(Exception error) =>
        error is IOException or UnauthorizedAccessException or ArgumentOutOfRangeException { ParamName: "value" };

    /// <summary>
    /// The documented exception for a failure of the file system, naming the target <paramref name="path"/>
    /// instead of the temporary file; <paramref name="error"/> is kept as the inner exception.
    /// </summary>
    internal static Exception Describe(Exception error, string path, string temporary)
    {
        string prefix = $"Cannot save {path}";
        int code = error.HResult & 0xFFFF;
        return error switch
        {
            ArgumentOutOfRangeException => new IOException($"{prefix}: the file would exceed the largest file this process or file system allows (file size limit).", error),
            PathTooLongException => new PathTooLongException($"{prefix}: the path or the file name is too long for the file system.", error),
            DirectoryNotFoundException => new DirectoryNotFoundException($"{prefix}: its folder does not exist (or was removed during the save).", error),
            UnauthorizedAccessException => new UnauthorizedAccessException($"{prefix}: permission denied, or the file system is read-only ({Reason(error, path, temporary)}).", error),
            IOException when code == ENOSPC || error.HResult is unchecked((int)0x80070070) or unchecked((int)0x80070027) =>
                new IOException($"{prefix}: no space left on the device.", error),
            IOException when code == EFBIG => new IOException($"{prefix}: the file would exceed the largest file this process or file system allows (file size limit).", error),
            IOException when code == EROFS => new UnauthorizedAccessException($"{prefix}: the file system is read-only.", error),
            IOException when code == EISDIR => new IOException($"{prefix}: it is a folder.", error),
            _ => new IOException($"{prefix}: {Reason(error, path, temporary)}", error),
        };
    }

    /// <summary>The operating system's message with the temporary file's path replaced by the target's.</summary>
    private static string Reason(Exception error, string path, string temporary) =>
        error.Message.Replace(temporary, path, StringComparison.Ordinal);

    private static void TryDelete(string file)
    {
        try
        {
            File.Delete(file);
        }
        catch (IOException)
        {
            // The original error matters more than a leftover temporary file.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
