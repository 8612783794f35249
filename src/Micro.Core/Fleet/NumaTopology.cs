using System.Globalization;

namespace Micro.Core.Fleet;

/// <summary>
/// Placement facts from sysfs/procfs (Linux): the NUMA node of a PCI device, and the NUMA nodes of the CPUs a
/// process may run on, so a rank driving a GPU across the socket boundary is explained, not only detected.
/// The root is a parameter so tests can give a fake tree.
/// </summary>
public sealed class NumaTopology(string sysRoot = "/sys", string procSelfStatus = "/proc/self/status")
{
    /// <summary>NUMA node of a PCI device ("0000:18:00.0"), or null when unknown (-1 in sysfs means none).</summary>
    public int? DeviceNode(string? pciBusId)
    {
        if (string.IsNullOrWhiteSpace(pciBusId)) return null;
        var id = NormalizePci(pciBusId);
        if (id is null) return null;
        var text = Read(Path.Combine(sysRoot, "bus", "pci", "devices", id, "numa_node"));
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= 0 ? n : null;
    }

    /// <summary>NUMA nodes holding at least one CPU of this process's affinity mask; empty when unknown.</summary>
    public IReadOnlyList<int> CpuNodes()
    {
        var allowed = AllowedCpus();
        if (allowed.Count == 0) return [];
        var nodesDir = Path.Combine(sysRoot, "devices", "system", "node");
        if (!Directory.Exists(nodesDir)) return [];
        var result = new SortedSet<int>();
        try
        {
            foreach (var dir in Directory.GetDirectories(nodesDir, "node*"))
            {
                if (!int.TryParse(Path.GetFileName(dir)[4..], NumberStyles.Integer, CultureInfo.InvariantCulture, out var node)) continue;
                if (Read(Path.Combine(dir, "cpulist")) is { } list && ParseList(list).Overlaps(allowed)) result.Add(node);
            }
        }
        catch (IOException) { return []; }
        catch (UnauthorizedAccessException) { return []; }
        return result.ToList();
    }

    /// <summary>CPUs this process may run on, from Cpus_allowed_list in /proc/self/status.</summary>
    public ISet<int> AllowedCpus()
    {
        try
        {
            if (!File.Exists(procSelfStatus)) return new HashSet<int>();
            foreach (var line in File.ReadLines(procSelfStatus))
                if (line.StartsWith("Cpus_allowed_list:", StringComparison.Ordinal))
                    return ParseList(line["Cpus_allowed_list:".Length..]);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return new HashSet<int>();
    }

    /// <summary>Parses a kernel cpu list such as "0-3,8,10-11".</summary>
    public static ISet<int> ParseList(string text)
    {
        var set = new HashSet<int>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var dash = part.IndexOf('-');
            if (dash < 0)
            {
                if (int.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out var one)) set.Add(one);
                continue;
            }
            if (int.TryParse(part[..dash], NumberStyles.Integer, CultureInfo.InvariantCulture, out var lo)
                && int.TryParse(part[(dash + 1)..], NumberStyles.Integer, CultureInfo.InvariantCulture, out var hi)
                && lo <= hi && hi - lo < 1 << 16)
                for (var c = lo; c <= hi; c++) set.Add(c);
        }
        return set;
    }

    /// <summary>sysfs names PCI devices "dddd:bb:dd.f" in lower case; NVML/CUDA print "00000000:18:00.0" in upper case.</summary>
    public static string? NormalizePci(string id)
    {
        var parts = id.Trim().ToLowerInvariant().Split(':');
        if (parts.Length != 3) return parts.Length == 2 ? "0000:" + parts[0] + ":" + parts[1] : null;
        var domain = parts[0].Length > 4 ? parts[0][^4..] : parts[0].PadLeft(4, '0');
        var name = $"{domain}:{parts[1]}:{parts[2]}";
        return name.All(c => char.IsAsciiHexDigit(c) || c is ':' or '.') ? name : null;
    }

    private static string? Read(string path)
    {
        try { return File.Exists(path) ? File.ReadAllText(path).Trim() : null; }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }
}
