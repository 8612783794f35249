using Micro.Core.Context;
using Micro.Core.Hardware;
using Micro.Core.Results;

namespace Micro.Core.Ceilings;

/// <summary>
/// Turns measured points into ceilings, one rule for every ceiling (docs/results.md, Result files, tabulates it):
/// <list type="bullet">
/// <item>Candidates: points whose suite named a ceiling (Ceiling is set: e.g. memory points past 4 x the LLC/L2),
/// that passed verification and are not labelled "not a ceiling" (the ILGPU CPU emulator).</item>
/// <item>Noisy: a candidate whose CV of time is above 10%, or that was measured on a busy machine (contention.busy).</item>
/// <item>Quick: a point of a --quick run (results.jsonl "quick": true). Quick points are never chosen over a full-run
/// point; only when a device has no full-run candidate for a ceiling is the best quick one written, marked quick: true
/// (a smoke figure, printed as such, so a fleet smoke run can still compare its ranks).</item>
/// <item>Chosen, per device and ceiling: among the full-run candidates (else the quick ones), the best clean candidate
/// (highest median rate; lowest median time for the latency ceilings); only when every candidate is noisy, the best
/// noisy one, written noisy: true. Medians, not the best sample, so one lucky iteration does not make a ceiling.</item>
/// <item>The datasheet figure and the fraction achieved wherever the datasheet states one for that ceiling.</item>
/// </list>
/// </summary>
public static class CeilingsBuilder
{
    /// <summary>A candidate whose coefficient of variation of time exceeds this is noisy.</summary>
    public const double NoisyCv = 0.10;

    /// <summary>Ceilings whose figure is a time, where lower is better.</summary>
    private static readonly HashSet<string> LowerIsBetter = [CeilingNames.LaunchLatency, CeilingNames.CollectiveLatency];

    public static bool IsCandidate(MeasurementRecord r) =>
        r.Ceiling is not null && r.Verification.Passed && r.Label?.Contains("not a ceiling", StringComparison.Ordinal) != true;

    public static bool IsNoisy(MeasurementRecord r) => r.Time.Cv > NoisyCv || IsBusy(r);

    public static bool IsBusy(MeasurementRecord r) => r.Contention?.Busy == true;

    public static bool IsQuick(MeasurementRecord r) => r.Quick == true;

    /// <summary>Among full-run candidates (else quick ones): the best clean candidate by the figure, else the best noisy one; null when there is none.</summary>
    public static MeasurementRecord? Choose(IEnumerable<MeasurementRecord> candidates, Func<MeasurementRecord, double> figure, bool lowerIsBetter)
    {
        var all = candidates.ToList();
        var list = all.Any(r => !IsQuick(r)) ? all.Where(r => !IsQuick(r)).ToList() : all;
        var pool = list.Any(r => !IsNoisy(r)) ? list.Where(r => !IsNoisy(r)) : list;
        return lowerIsBetter ? pool.MinBy(figure) : pool.MaxBy(figure);
    }

    public static IReadOnlyList<DeviceCeilings> Build(IEnumerable<MeasurementRecord> records, IReadOnlyList<DeviceInfo> devices)
    {
        var result = new List<DeviceCeilings>();
        foreach (var group in records.Where(IsCandidate).GroupBy(r => (r.Device, r.Rank, r.Host)).OrderBy(g => g.Key.Rank ?? -1).ThenBy(g => g.Key.Device, StringComparer.Ordinal))
        {
            var info = devices.FirstOrDefault(d => d.Name == group.Key.Device);
            var spec = Datasheet.Match(group.Key.Device);
            var ceilings = new List<Ceiling>();
            foreach (var byName in group.GroupBy(r => r.Ceiling!).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                var lower = LowerIsBetter.Contains(byName.Key);
                var best = Choose(byName, Value, lower);
                if (best is null) continue;
                var (value, unit) = (Value(best), UnitOf(best));
                var datasheet = spec is null ? null : DatasheetValue(spec, byName.Key);
                var ceiling = new Ceiling
                {
                    Name = byName.Key, Value = value, Unit = unit, Better = lower ? Better.Lower : Better.Higher,
                    Suite = best.Suite, Case = best.Case, Backend = best.Backend,
                    Parameters = best.DescribeParameters(),
                    Datasheet = datasheet, FractionOfDatasheet = datasheet is > 0 ? value / datasheet : null,
                    Noisy = IsNoisy(best), Busy = IsBusy(best), Quick = IsQuick(best), Cv = best.Time.Cv, Candidates = byName.Count(), Timestamp = best.Timestamp,
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

    /// <summary>A GEMM or prefill record counts bytes too (for its arithmetic intensity), but its ceiling is the FLOP rate.</summary>
    private static bool IsCompute(MeasurementRecord r) =>
        r.Ceiling?.StartsWith("gemm", StringComparison.Ordinal) == true || r.Ceiling == AttentionCeilings.PrefillCeiling;

    public static double? DatasheetValue(GpuSpec spec, string ceiling) => ceiling switch
    {
        CeilingNames.MemoryBandwidth or CeilingNames.D2D or AttentionCeilings.DecodeCeiling => spec.MemoryBandwidthGBps,
        CeilingNames.GemmBf16 or AttentionCeilings.PrefillCeiling => spec.Bf16Tflops,
        CeilingNames.GemmFp16 => spec.Fp16Tflops,
        CeilingNames.GemmFp8 => spec.Fp8Tflops,
        CeilingNames.GemmTf32 => spec.Tf32Tflops,
        CeilingNames.GemmFp32 => spec.Fp32Tflops,
        CeilingNames.H2DPinned or CeilingNames.D2HPinned => spec.HostLinkGBps,
        _ => null,
    };
}
