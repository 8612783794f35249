using System.Diagnostics;

namespace Micro.Cli.Tests;

/// <summary>A full disk for a test: a tmpfs of a few KiB mounted and filled (skips the test where mount is not permitted).</summary>
internal sealed class TinyDisk : IDisposable
{
    public string Path { get; }

    private TinyDisk(string path) => Path = path;

    public static TinyDisk Mount(int kib = 16)
    {
        var dir = CliRun.TempDir();
        if (Run("mount", "-t", "tmpfs", "-o", $"size={kib}k", "tmpfs", dir) != 0) Assert.Skip("cannot mount a tmpfs here (not root, or no mount permission)");
        var disk = new TinyDisk(dir);
        try
        {
            using var filler = new FileStream(System.IO.Path.Combine(dir, "filler"), FileMode.Create);
            var block = new byte[1024];
            while (true) filler.Write(block);
        }
        catch (IOException) { }
        return disk;
    }

    private static int Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        try
        {
            using var p = Process.Start(psi)!;
            p.WaitForExit();
            return p.ExitCode;
        }
        catch (System.ComponentModel.Win32Exception) { return -1; }
    }

    public void Dispose() => Run("umount", Path);
}
