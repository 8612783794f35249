using System.Text.Json;
using Micro.Devices.Host;

namespace Micro.Cli.Tests;

/// <summary>
/// ceilings.json is derived from the folder's whole results.jsonl whichever verb wrote last: a later, smaller run into
/// the same --out must not lose the earlier run's ceiling.
/// </summary>
public class CeilingsOrderTests
{
    private static void NeedHostStream()
    {
        if (HostStream.Unavailable() is { } why) Assert.Skip("host STREAM library unavailable: " + why);
    }

    private static double? HostCeiling(string dir)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "ceilings.json")));
        foreach (var device in doc.RootElement.GetProperty("devices").EnumerateArray())
            foreach (var c in device.GetProperty("ceilings").EnumerateArray())
                if (c.GetProperty("name").GetString() == "host_memory_bandwidth") return c.GetProperty("value").GetDouble();
        return null;
    }

    [Fact]
    public async Task ASmallSecondMemoryRunKeepsTheFirstRunsHostCeiling()
    {
        NeedHostStream();
        var dir = CliRun.TempDir();
        var first = await CliRun.Run("memory", "--backend", "host", "--quick", "--out", dir);
        Assert.True(first.Code == 0, first.Err);
        var before = HostCeiling(dir);
        Assert.NotNull(before);

        var second = await CliRun.Run("memory", "--backend", "host", "--kernel", "copy", "--size", "1M", "--quick", "--out", dir);
        Assert.True(second.Code == 0, second.Err);
        var after = HostCeiling(dir);
        Assert.NotNull(after);
        // A 1 MB copy is no ceiling candidate (it fits in the cache), so the first run's figure is still the ceiling.
        Assert.True(after >= before, $"host_memory_bandwidth went from {before} to {after}");
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "ceilings.json")));
        Assert.Equal(2, doc.RootElement.GetProperty("runs").GetArrayLength());
    }

    [Fact]
    public async Task ASmallRunFirstThenAQuickTriadGivesTheTriadCeilingAndKeepsBothPoints()
    {
        NeedHostStream();
        var dir = CliRun.TempDir();
        var first = await CliRun.Run("memory", "--backend", "host", "--kernel", "copy", "--size", "1M", "--quick", "--out", dir);
        Assert.True(first.Code == 0, first.Err);
        var second = await CliRun.Run("memory", "--backend", "host", "--kernel", "triad", "--quick", "--out", dir);
        Assert.True(second.Code == 0, second.Err);
        Assert.NotNull(HostCeiling(dir));
        var lines = File.ReadAllLines(Path.Combine(dir, "results.jsonl"));
        Assert.Contains(lines, l => l.Contains("\"case\":\"triad\"", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("\"case\":\"copy\"", StringComparison.Ordinal));
    }
}
