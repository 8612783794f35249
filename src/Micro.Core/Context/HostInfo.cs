namespace Micro.Core.Context;

/// <summary>Facts about the host read from /proc and /sys (Linux); null where unavailable.</summary>
public static class HostInfo
{
    public static string? CpuModel()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/cpuinfo"))
                if (line.StartsWith("model name", StringComparison.Ordinal)) return line[(line.IndexOf(':') + 1)..].Trim();
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return null;
    }

    public static long? MemoryBytes()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/meminfo"))
                if (line.StartsWith("MemTotal:", StringComparison.Ordinal))
                    return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return null;
    }

    /// <summary>Largest CPU cache (the LLC) from sysfs, in bytes.</summary>
    public static long? LastLevelCacheBytes()
    {
        try
        {
            var dir = "/sys/devices/system/cpu/cpu0/cache";
            if (!Directory.Exists(dir)) return null;
            long best = 0;
            foreach (var idx in Directory.GetDirectories(dir, "index*"))
            {
                var sizeFile = Path.Combine(idx, "size");
                if (!File.Exists(sizeFile)) continue;
                var s = File.ReadAllText(sizeFile).Trim();
                long mult = s.EndsWith('K') ? 1024 : s.EndsWith('M') ? 1024 * 1024 : 1;
                if (long.TryParse(s.TrimEnd('K', 'M'), out var v)) best = Math.Max(best, v * mult);
            }
            return best > 0 ? best : null;
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }

    public static IReadOnlyDictionary<string, string> RelevantEnvironment()
    {
        var d = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in new[] { "OMP_NUM_THREADS", "OMP_PROC_BIND", "OMP_PLACES", "CUDA_VISIBLE_DEVICES", "HIP_VISIBLE_DEVICES", "NCCL_ALGO", "NCCL_PROTO", "OMPI_COMM_WORLD_RANK", "SLURM_PROCID", "SLURM_JOB_ID" })
        {
            var v = System.Environment.GetEnvironmentVariable(key);
            if (v is not null) d[key] = v;
        }
        return d;
    }
}
