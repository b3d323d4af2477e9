namespace NeuralNet.Serialization;

/// <summary>
/// Replaces a file all at once: the bytes go to a temporary file in the same directory, which is flushed to disk
/// and then renamed over the destination, so a crash or error at any point leaves either the old file or the new
/// one, never a mixture.
/// </summary>
internal static class AtomicFile
{
    /// <summary>Writes <paramref name="contents"/> to <paramref name="path"/> atomically.</summary>
    /// <param name="path">The destination; its directory must exist.</param>
    /// <param name="contents">The complete file.</param>
    /// <param name="beforeReplace">Test seam: called with the temporary file's path after it is written and flushed, before the rename.</param>
    public static void Write(string path, ReadOnlySpan<byte> contents, Action<string>? beforeReplace = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string fullPath = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(fullPath) ?? throw new ArgumentException($"'{path}' has no directory.", nameof(path));
        // A short name of its own, so a target name near the file-system limit still leaves room for it.
        string temporary = Path.Combine(directory, $".nnet-{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 16))
            {
                stream.Write(contents);
                stream.Flush(flushToDisk: true);
            }

            beforeReplace?.Invoke(temporary);
            File.Move(temporary, fullPath, overwrite: true);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    private static void TryDelete(string temporary)
    {
        try
        {
            File.Delete(temporary);
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
