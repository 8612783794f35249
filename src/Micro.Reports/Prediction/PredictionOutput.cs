using System.Globalization;
using Micro.Core.Text;
using Micro.EndToEnd.Prediction;
using Micro.Reports.Sections;

namespace Micro.Reports.Prediction;

/// <summary>Writes --out: prediction.json, points.csv, report.md, report.html, plots, and predicted/*.json in vLLM's format.</summary>
public static class PredictionOutput
{
    public static IReadOnlyList<string> WriteAll(PredictionResult r, string dir)
    {
        Directory.CreateDirectory(dir);
        var files = new List<string>();
        string Put(string name, byte[] data)
        {
            var p = Path.Combine(dir, name);
            Directory.CreateDirectory(Path.GetDirectoryName(p)!);
            File.WriteAllBytes(p, data);
            files.Add(p);
            return p;
        }
        Put("prediction.json", PredictionJson.Write(r));
        if (r.CalibrationOut is { } cal) Put("calibration.json", CalibrationFiles.Write(cal));
        files.Add(WriteCsv(r, Path.Combine(dir, "points.csv")));
        var modelId = "micro-predict/" + r.Model.Setup.Model.Name;
        foreach (var p in r.Points) Put(Path.Combine("predicted", PredictedResultFile.FileName(p.Load)), PredictedResultFile.ToJson(p.Sim, p.Load, modelId, p.RequestGoodput));
        var report = ReportFiles.Write(PredictionReport.Definition, r, dir, "");
        files.Add(report.Markdown);
        files.Add(report.Html);
        foreach (var f in report.Figures) files.Add(Path.Combine(report.PlotsDirectory, f.PngFile));
        return files;
    }

    public static readonly string[] CsvHeader =
    [
        "concurrency", "request_rate", "num_prompts", "median_ttft_ms", "p99_ttft_ms", "median_tpot_ms", "p99_tpot_ms", "median_itl_ms", "p99_itl_ms",
        "median_e2el_ms", "output_throughput", "output_throughput_per_gpu", "request_throughput", "cost_per_request", "cost_per_1m_output_tokens",
        "meets_slo", "sol_fraction", "step_ms", "weights_ms", "kv_ms", "compute_ms", "attention_ms", "collectives_ms", "overhead_ms",
    ];

    private static string WriteCsv(PredictionResult r, string path)
    {
        using var w = new StreamWriter(path);
        using var csv = CsvText.CreateWriter(w);
        foreach (var h in CsvHeader) csv.WriteField(h);
        csv.NextRecord();
        foreach (var p in r.Points)
        {
            var s = p.Sim;
            var b = s.MeanStep;
            object?[] row = [p.Load.Concurrency, p.Load.RequestRate?.ToString(CultureInfo.InvariantCulture) ?? "inf", p.Load.NumPrompts,
                s.Stat("ttft", "median"), s.Stat("ttft", "p99"), s.Stat("tpot", "median"), s.Stat("tpot", "p99"), s.Stat("itl", "median"), s.Stat("itl", "p99"),
                s.Stat("e2el", "median"), s.OutputThroughput, p.TokensPerGpu, s.RequestThroughput, p.CostPerRequest, p.CostPer1MOutputTokens,
                p.MeetsSlo, p.SolFraction, b.Total * 1e3, b.Weights * 1e3, b.Kv * 1e3, b.Compute * 1e3, b.Attention * 1e3, b.Collectives * 1e3, b.Overhead * 1e3];
            foreach (var v in row) csv.WriteField(v);
            csv.NextRecord();
        }
        return path;
    }
}
