using System.Globalization;
using Micro.Core.Context;
using Micro.Core.Results;

namespace Micro.Suites.Running;

/// <summary>Samples CPU time, wall time and load around the timed iterations of a host point (backend "host").</summary>
internal sealed class HostPoint(IHostLoadSource source, int threads)
{
    private readonly double _cpu0 = source.ProcessCpuSeconds();
    private readonly double _load0 = source.LoadAverage();
    private readonly double _t0 = source.WallSeconds();

    public static HostPoint? Start(CaseDescriptor c, IHostLoadSource source)
    {
        if (c.Backend != "host") return null;
        var threads = c.Parameters.TryGetValue("threads", out var t) && int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n : source.Cores;
        return new HostPoint(source, threads);
    }

    public Contention Stop()
    {
        var wall = source.WallSeconds() - _t0;
        var cpu = source.ProcessCpuSeconds() - _cpu0;
        return Contention.From(cpu, wall, threads, _load0, source.LoadAverage(), source.Cores);
    }
}
