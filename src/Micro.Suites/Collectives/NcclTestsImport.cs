using System.Globalization;
using Micro.Core.Results;
using Micro.Core.Statistics;

namespace Micro.Suites.Collectives;

/// <summary>Turns a parsed nccl-tests/rccl-tests log into MeasurementRecords (one per row and placement), figures kept as printed.</summary>
public static class NcclTestsImport
{
    public static IReadOnlyList<MeasurementRecord> ToRecords(NcclTestsLog log)
    {
        var records = new List<MeasurementRecord>();
        var op = log.Op is { } o ? CollectiveNames.Of(o) : "unknown";
        foreach (var row in log.Rows)
        {
            foreach (var (fig, inPlace) in new[] { (row.OutOfPlace, false), (row.InPlace, true) })
            {
                var t = fig.TimeUs * 1e-6;
                var p = new Dictionary<string, string>
                {
                    ["time_us_printed"] = fig.Time,
                    ["algbw_gbps_printed"] = fig.AlgBw,
                    ["busbw_gbps_printed"] = fig.BusBw,
                    ["wrong_printed"] = fig.Wrong,
                    ["source_file"] = Path.GetFileName(log.File),
                    ["source_line"] = row.Line.ToString(CultureInfo.InvariantCulture),
                    ["tool"] = log.Tool,
                };
                if (log.Program is not null) p["program"] = log.Program;
                var wrong = fig.WrongCount;
                records.Add(new MeasurementRecord
                {
                    Suite = "collectives", Case = op, Backend = log.Tool, Device = log.Device ?? "unknown", DType = row.Type,
                    Parameters = p, Bytes = 0, BytesCounted = "imported: figures as printed by " + log.Tool,
                    Timer = "imported", Warmup = 0,
                    // One printed figure: the mean over the log's timed iterations (no spread is printed).
                    Time = new SampleSummary(1, t, t, t, t, t, 0, 0),
                    Bandwidth = new Throughput("GB/s", fig.BusBwGBps, fig.BusBwGBps, fig.BusBwGBps),
                    Verification = wrong is null
                        ? Verification.NotApplicable($"{log.Tool} printed #wrong N/A")
                        : new Verification(wrong == 0, 0, wrong.Value, 0, $"imported: {log.Tool} #wrong as printed"),
                    Label = $"imported from {log.Tool} log; bandwidth is the printed busbw",
                }.WithPoint(new Micro.Core.Results.Points.CollectiveParameters
                {
                    Op = op, SizeBytes = row.Size, Count = row.Count, Nranks = log.NRanks, InPlace = inPlace, Redop = row.RedOp, Root = row.Root is >= 0 ? row.Root : null,
                }));
            }
        }
        return records;
    }
}
