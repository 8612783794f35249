using Micro.Core.Ceilings;
using Micro.Core.Results;

namespace Micro.Reports.Data;

/// <summary>What a report is made from: the records of results.jsonl and, where present, ceilings.json. Both are untrusted.</summary>
public sealed record ReportInput(string Directory, IReadOnlyList<MeasurementRecord> Records, CeilingsProfile? Ceilings)
{
    /// <summary>Reports read at most this much of results.jsonl (well above any real sweep; keeps memory bounded).</summary>
    public const long MaxResultsBytes = 256L << 20;

    public static ReportInput Load(string directory)
    {
        if (!System.IO.Directory.Exists(directory)) throw new InputException(directory, null, "results directory not found");
        var results = Path.Combine(directory, ResultsWriter.FileName);
        var ceilings = Path.Combine(directory, CeilingsProfile.FileName);
        if (!File.Exists(results) && !File.Exists(ceilings))
            throw new InputException(directory, null, $"no {ResultsWriter.FileName} or {CeilingsProfile.FileName} in this directory");
        IReadOnlyList<MeasurementRecord> records = [];
        if (File.Exists(results))
        {
            InputLimits.CheckFileSize(results, MaxResultsBytes);
            records = ResultsReader.Read(results);
            for (var i = 0; i < records.Count; i++) Validate(results, i + 1, records[i]);
        }
        var profile = File.Exists(ceilings) ? CeilingsFile.Read(ceilings) : null;
        return new ReportInput(directory, records, profile);
    }

    /// <summary>Fields the report relies on must be present; a hostile line with nulls fails with its line number.</summary>
    private static void Validate(string path, int line, MeasurementRecord r)
    {
        if (r.Suite is null || r.Case is null || r.Backend is null || r.Device is null)
            throw new InputException(path, $"line {line}", "suite, case, backend and device are required");
        if (r.Time is null) throw new InputException(path, $"line {line}: time", "missing");
        if (r.Verification is null) throw new InputException(path, $"line {line}: verification", "missing");
        if (r.Parameters is null) throw new InputException(path, $"line {line}: parameters", "null");
    }
}
