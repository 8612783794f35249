namespace Micro.Core.Results;

/// <summary>
/// Flat CSV export of result records (one row per point); each header is the results.jsonl key path joined by '_', with
/// its unit where it has one: times in seconds (<c>_s</c>), bandwidth in GB/s (<c>_gbps</c>), compute in TFLOP/s
/// (<c>_tflops</c>); booleans true/false and the timestamp ISO 8601 (CsvText).
/// </summary>
public static class ResultsCsv
{
    public sealed record Row(
        string Suite, string Case, string Backend, string Device, string DType, string Parameters,
        long Bytes, double Flops, int TimeCount, double TimeMedianS, double TimeMinS, double TimeMaxS, double TimeP99S, double TimeCv,
        double? BandwidthMedianGBps, double? BandwidthBestGBps, double? ComputeMedianTflops, bool VerificationPassed, long VerificationWrong,
        bool? ContentionBusy, bool? Quick, string? Label, int? Rank, string? Host, DateTimeOffset Timestamp);

    public static Row ToRow(MeasurementRecord r) => new(
        r.Suite, r.Case, r.Backend, r.Device, r.DType,
        r.DescribeParameters(),
        r.Bytes, r.Flops, r.Time.Count, r.Time.Median, r.Time.Min, r.Time.Max, r.Time.P99, r.Time.Cv,
        r.Bandwidth?.Median, r.Bandwidth?.Best, r.Compute?.Median, r.Verification.Passed, r.Verification.Wrong,
        r.Contention?.Busy, r.Quick, r.Label, r.Rank, r.Host, r.Timestamp);

    public static void Write(string path, IEnumerable<MeasurementRecord> records) => MicroCsv.Write(path, records.Select(ToRow));
}
