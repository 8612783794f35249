using Micro.Core.Context;
using Micro.Core.Hardware;
using Micro.Core.Results;

namespace Micro.Core.Ceilings;

/// <summary>Turns measured points into ceilings: per device and ceiling name, the best verified point.</summary>
public static class CeilingsBuilder
{
    /// <summary>Ceilings whose figure is a time, where lower is better.</summary>
    private static readonly HashSet<string> LowerIsBetter = [CeilingNames.LaunchLatency, CeilingNames.CollectiveLatency];

    public static IReadOnlyList<DeviceCeilings> Build(IEnumerable<MeasurementRecord> records, IReadOnlyList<DeviceInfo> devices)
    {
        var result = new List<DeviceCeilings>();
        var candidates = records.Where(r => r.Ceiling is not null && r.Verification.Passed && r.Label?.Contains("not a ceiling", StringComparison.Ordinal) != true);
        foreach (var group in candidates.GroupBy(r => (r.Device, r.Rank, r.Host)).OrderBy(g => g.Key.Rank ?? -1).ThenBy(g => g.Key.Device, StringComparer.Ordinal))
        {
            var info = devices.FirstOrDefault(d => d.Name == group.Key.Device);
            var spec = Datasheet.Match(group.Key.Device);
            var ceilings = new List<Ceiling>();
            foreach (var byName in group.GroupBy(r => r.Ceiling!).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                var lower = LowerIsBetter.Contains(byName.Key);
                var best = lower ? byName.MinBy(Value) : byName.MaxBy(Value);
                if (best is null) continue;
                var (value, unit) = (Value(best), UnitOf(best));
                var datasheet = spec is null ? null : DatasheetValue(spec, byName.Key);
                var ceiling = new Ceiling
                {
                    Name = byName.Key, Value = value, Unit = unit, Better = lower ? Better.Lower : Better.Higher,
                    Suite = best.Suite, Case = best.Case, Backend = best.Backend,
                    Parameters = string.Join(";", best.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}")),
                    Datasheet = datasheet, FractionOfDatasheet = datasheet is > 0 ? value / datasheet : null,
                    Note = best.Label,
                };
                ceilings.Add(lower ? ceiling : WithEfficiency(ceiling, best, byName));
            }
            result.Add(new DeviceCeilings
            {
                Device = group.Key.Device, Kind = info?.Kind ?? DeviceKind.Gpu, DeviceId = group.First().DeviceId ?? info?.Uuid,
                Host = group.Key.Host, Rank = group.Key.Rank, DatasheetKey = spec?.Key, Ceilings = ceilings,
                Attention = AttentionCeilings.Build(group, ceilings),
            });
        }
        return result;
    }

    /// <summary>
    /// GB/s per W or TFLOP/s per W: from the ceiling's own point when it carries average power, else from the fastest
    /// candidate of the same ceiling that does (named in power_from), since short points say n/a.
    /// </summary>
    private static Ceiling WithEfficiency(Ceiling ceiling, MeasurementRecord best, IEnumerable<MeasurementRecord> candidates)
    {
        var source = best.Power?.AverageWatts is > 0 ? best : candidates.Where(r => r.Power?.AverageWatts is > 0).MaxBy(Value);
        if (source is null) return ceiling;
        var value = Value(source);
        return ceiling with
        {
            AverageWatts = source.Power!.AverageWatts, PerWatt = Context.PowerWindow.PerWatt(value, source.Power),
            PerWattUnit = UnitOf(source) + " per W", PowerFrom = ReferenceEquals(source, best) ? null : $"{source.Suite}/{source.Case} ({source.Backend})",
        };
    }

    /// <summary>The figure a ceiling is judged by: median bandwidth, median rate, or median time in microseconds.</summary>
    public static double Value(MeasurementRecord r) =>
        (IsCompute(r) ? r.Compute?.Median : null) ?? r.Bandwidth?.Median ?? r.Compute?.Median ?? r.Time.Median * 1e6;

    private static string UnitOf(MeasurementRecord r) =>
        (IsCompute(r) ? r.Compute?.Unit : null) ?? r.Bandwidth?.Unit ?? r.Compute?.Unit ?? "us";

    /// <summary>A GEMM record counts bytes too (for its arithmetic intensity), but its ceiling is the FLOP rate.</summary>
    private static bool IsCompute(MeasurementRecord r) => r.Ceiling?.StartsWith("gemm", StringComparison.Ordinal) == true;

    public static double? DatasheetValue(GpuSpec spec, string ceiling) => ceiling switch
    {
        CeilingNames.MemoryBandwidth => spec.MemoryBandwidthGBps,
        CeilingNames.GemmBf16 => spec.Bf16Tflops,
        CeilingNames.GemmFp16 => spec.Fp16Tflops,
        CeilingNames.GemmFp8 => spec.Fp8Tflops,
        CeilingNames.GemmTf32 => spec.Tf32Tflops,
        CeilingNames.GemmFp32 => spec.Fp32Tflops,
        CeilingNames.H2DPinned or CeilingNames.D2HPinned => spec.HostLinkGBps,
        CeilingNames.D2D => spec.MemoryBandwidthGBps,
        _ => null,
    };
}
