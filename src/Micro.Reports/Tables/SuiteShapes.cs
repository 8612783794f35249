using Micro.Core.Results;

namespace Micro.Reports.Tables;

/// <summary>Which figures a record's suite reports (and so which unit columns it fills).</summary>
[Flags]
public enum Figures { None = 0, Bandwidth = 1, Compute = 2, Latency = 4 }

/// <summary>
/// The shape of each suite's rows: GB/s for memory, link and decode attention; TFLOP/s for GEMM and prefill
/// attention; microseconds for launch and collective latency (collectives also give their bus bandwidth).
/// A suite not listed here shows whatever figures its records carry.
/// </summary>
public static class SuiteShapes
{
    public static Figures Of(MeasurementRecord r) => r.Suite switch
    {
        "memory" or "link" => Figures.Bandwidth,
        "gemm" => Figures.Compute,
        "attention" => r.Case.StartsWith("prefill", StringComparison.Ordinal) ? Figures.Compute : Figures.Bandwidth,
        "launch" => Figures.Latency,
        "collectives" => Figures.Latency | Figures.Bandwidth,
        _ => (r.Bandwidth is not null ? Figures.Bandwidth : Figures.None) | (r.Compute is not null ? Figures.Compute : Figures.None),
    };

    public static bool Has(MeasurementRecord r, Figures f) => (Of(r) & f) == f;
}
