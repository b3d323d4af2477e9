using System.Runtime.InteropServices;

namespace NeuralNet.Comparisons;

/// <summary>
/// Loads native/ios_base_library_init_stub.c's library with RTLD_GLOBAL before TorchSharp loads its glue, where
/// native/prepare.sh built it (a libstdc++ older than GCC 13): libLibTorchSharp.so then finds
/// <c>std::ios_base_library_init()</c> in the global scope.
/// </summary>
internal static partial class TorchNative
{
    private const int RtldNow = 2, RtldGlobal = 0x100;

    public static void Prepare()
    {
        string stub = Path.Combine(AppContext.BaseDirectory, "libios_base_library_init_stub.so");
        if (OperatingSystem.IsLinux() && File.Exists(stub) && DlOpen(stub, RtldNow | RtldGlobal) == IntPtr.Zero)
        {
            throw new InvalidOperationException($"dlopen({stub}) failed: {Marshal.PtrToStringUTF8(DlError())}");
        }
    }

    [LibraryImport("libc", EntryPoint = "dlopen", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr DlOpen(string file, int mode);

    [LibraryImport("libc", EntryPoint = "dlerror")]
    private static partial IntPtr DlError();
}
