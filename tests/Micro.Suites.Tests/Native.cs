using Micro.Devices.Host;
using Micro.Devices.Native;
using Micro.Tests.Shared;

namespace Micro.Suites.Tests;

/// <summary>Points $MICRO_NATIVE_DIR at a local native build when the test runs outside scripts/test.</summary>
internal static class Native
{
    public static void RequireHostStream()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(LibrarySearch.NativeDirVariable)))
        {
            foreach (var dir in new[] { "build/cli", "build/native/native/hoststream" })
            {
                var d = Path.Combine(TestPaths.RepoRoot, dir);
                if (File.Exists(Path.Combine(d, "libmicro_hoststream.so"))) { Environment.SetEnvironmentVariable(LibrarySearch.NativeDirVariable, d); break; }
            }
        }
        if (HostStream.Unavailable() is { } why) Assert.Skip("host STREAM library not built: " + why);
    }
}
