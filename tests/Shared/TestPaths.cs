namespace Micro.Tests.Shared;

/// <summary>Locates the repository root and ../shared/data (the public benchmark outputs tests read at run time).</summary>
public static class TestPaths
{
    public static string RepoRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Micro.sln"))) dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("Micro.sln not found above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>../shared/data beside the checkout, or MICRO_SHARED_DATA; null when absent.</summary>
    public static string? SharedData
    {
        get
        {
            var env = Environment.GetEnvironmentVariable("MICRO_SHARED_DATA");
            if (!string.IsNullOrEmpty(env) && Directory.Exists(env)) return env;
            var p = Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "data"));
            return Directory.Exists(p) ? p : null;
        }
    }

    /// <summary>Path of a file under shared/data, or skips the test with the reason.</summary>
    public static string SharedFile(string relative)
    {
        var root = SharedData;
        if (root is null) Assert.Skip("../shared/data is absent (set MICRO_SHARED_DATA to run this test)");
        var p = Path.Combine(root, relative);
        if (!File.Exists(p) && !Directory.Exists(p)) Assert.Skip($"../shared/data/{relative} is absent");
        return p;
    }
}
