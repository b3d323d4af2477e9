using System.Reflection;

namespace NeuralNet.Tests;

/// <summary>The version stamped by src/Directory.Build.targets: a development build is a unique prerelease, never the old fixed 0.1.0, and the three packages share it.</summary>
public sealed class PackageVersionTests
{
    [Fact]
    public void InformationalVersion_DevelopmentBuild_IsAPrereleaseNumberedByCommitsOrTime()
    {
        string version = typeof(Network<>).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;
        string withoutRevision = version.Split('+')[0];

        // The tests build without -p:ReleaseVersion: 0.2.0-dev.<commits in HEAD>, or -dev.yyyyMMddHHmmss without git.
        withoutRevision.Should().MatchRegex(@"^\d+\.\d+\.\d+-dev\.(\d{1,7}|\d{14})$");
        withoutRevision.Should().NotStartWith("0.1.0");
    }

    [Fact]
    public void InformationalVersion_OfTheThreePackages_IsTheSame()
    {
        string[] versions = [.. LibraryAssemblies.All.Select(a => a.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion.Split('+')[0])];

        versions.Should().HaveCount(3).And.OnlyContain(v => v == versions[0], "NeuralNet.Data and NeuralNet.Onnx pin the exact NeuralNet version they were built with");
    }

    [Fact]
    public void InformationalVersion_InAGitCheckout_EndsWithTheCommitCount()
    {
        string? count = Git("rev-list --count HEAD");
        if (count is null || Git("rev-parse --is-shallow-repository") != "false")
        {
            return; // no git or a shallow clone: the timestamp fallback, checked above
        }

        string version = typeof(Network<>).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;
        version.Split('+')[0].Should().EndWith($"-dev.{count}", "a new commit must give a new, higher package version");
    }

    private static string? Git(string arguments)
    {
        try
        {
            var start = new System.Diagnostics.ProcessStartInfo("git", arguments)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = AppContext.BaseDirectory,
            };
            using var process = System.Diagnostics.Process.Start(start)!;
            string output = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit();
            return process.ExitCode == 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
