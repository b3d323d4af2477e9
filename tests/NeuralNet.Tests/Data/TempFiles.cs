using System.Diagnostics;
using System.IO.Compression;

namespace NeuralNet.Tests.Data;

/// <summary>A temporary folder for generated data files, deleted with the test class.</summary>
public sealed class TempFiles : IDisposable
{
    public TempFiles()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("neuralnet-data-tests-").FullName;
    }

    public string Directory { get; }

    public string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(Directory, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    public string WriteText(string name, string text) => Write(name, System.Text.Encoding.UTF8.GetBytes(text));

    public string WriteGzip(string name, byte[] bytes) => Write(name, Compress(bytes));

    public static byte[] Compress(byte[] bytes)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal))
        {
            gzip.Write(bytes);
        }

        return buffer.ToArray();
    }

    /// <summary>Makes a named pipe (Linux: <c>mkfifo</c>); a reader of it cannot seek.</summary>
    public string Fifo(string name)
    {
        string path = Path.Combine(Directory, name);
        using Process mkfifo = Process.Start(new ProcessStartInfo("mkfifo") { ArgumentList = { path } })!;
        mkfifo.WaitForExit();
        mkfifo.ExitCode.Should().Be(0, "mkfifo must create {0}", path);
        return path;
    }

    /// <summary>
    /// Runs <paramref name="read"/> on <paramref name="fifo"/> while another thread writes <paramref name="bytes"/>
    /// into it. A reader that blocks (for example by opening the FIFO a second time, which waits for a writer that
    /// never comes) fails the test instead of hanging it; the writer is always released.
    /// </summary>
    public static TResult ReadThroughFifo<TResult>(string fifo, byte[] bytes, Func<string, TResult> read)
    {
        Task writer = Task.Run(() =>
        {
            try
            {
                File.WriteAllBytes(fifo, bytes); // blocks until a reader opens the FIFO
            }
            catch (IOException)
            {
                // The reader stopped early (broken pipe): its own exception is the one that matters.
            }
        });
        Task<TResult> reader = Task.Run(() => read(fifo));
        bool blocked = !((IAsyncResult)reader).AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(60));
        while (!reader.IsCompleted)
        {
            using (new FileStream(fifo, FileMode.Open, FileAccess.Write))
            {
                // Opening for writing, then closing at once, releases a reader blocked in open or read (end of data).
            }
        }

        // A writer still blocked after the reader is done is waiting for a reader that never opened the FIFO.
        if (!writer.Wait(TimeSpan.FromSeconds(10)))
        {
            using FileStream drain = File.OpenRead(fifo);
            drain.CopyTo(Stream.Null);
        }

        writer.Wait();
        if (blocked)
        {
            throw new Xunit.Sdk.XunitException($"reading {fifo} blocked: a FIFO can be opened and read only once.");
        }

        return reader.GetAwaiter().GetResult();
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
