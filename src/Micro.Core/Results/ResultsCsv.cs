using Micro.Core.Text;

namespace Micro.Core.Results;

/// <summary>Flat CSV export of result records (one row per point).</summary>
public static class ResultsCsv
{
    public sealed record Row(
        string Suite, string Case, string Backend, string Device, string DType, string Parameters,
        long Bytes, double Flops, int Samples, double MedianS, double MinS, double MaxS, double P99S, double Cv,
        double? GBps, double? BestGBps, double? Tflops, bool Verified, long Wrong, string? Label, int? Rank, string? Host, DateTimeOffset Timestamp);

    public static Row ToRow(MeasurementRecord r) => new(
        r.Suite, r.Case, r.Backend, r.Device, r.DType,
        string.Join(";", r.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}")),
        r.Bytes, r.Flops, r.Time.Count, r.Time.Median, r.Time.Min, r.Time.Max, r.Time.P99, r.Time.Cv,
        r.Bandwidth?.Median, r.Bandwidth?.Best, r.Compute?.Median, r.Verification.Passed, r.Verification.Wrong, r.Label, r.Rank, r.Host, r.Timestamp);

    public static void Write(string path, IEnumerable<MeasurementRecord> records)
    {
        using var w = new StreamWriter(path);
        using var csv = CsvText.CreateWriter(w);
        csv.WriteRecords(records.Select(ToRow));
    }
}
