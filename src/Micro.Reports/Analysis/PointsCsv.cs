using Micro.Core.Results;
using Micro.EndToEnd.Analysis;

namespace Micro.Reports.Analysis;

/// <summary>points.csv: one flat row per analyzed point; headers snake_case like analysis.json's keys, text cells neutralized (MicroCsv).</summary>
public static class PointsCsv
{
    public const string FileName = "points.csv";

    public sealed record Row(
        string Source, double? Concurrency, double? RequestRate, double RequestThroughput, double OutputThroughput,
        double TotalTokenThroughput, double OutputThroughputPerGpu, double? PerUserTokensPerSecond,
        double? MedianTtftMs, double? P99TtftMs, double? MedianTpotMs, double? P99TpotMs, double? MedianItlMs, double? P99ItlMs,
        double? MeanE2elMs, double? P99E2elMs, bool? MeetsSlo, double? GoodputRps,
        double? SolOutputThroughput, double? SolFraction, double? SolRequestThroughput, double? SolTpotMs, double? SolTtftMs,
        double? CostPerRequest, double? CostPerGoodRequest, double? CostPer1MOutputTokens, double? CostPer1MTotalTokens,
        long Completed, long? Failed, double? UsefulFraction);

    public static void Write(string path, AnalysisResult r)
    {
        MicroCsv.Write(path, r.Points.Select(p => new Row(
            p.Source, p.Concurrency, p.RequestRate, p.RequestThroughput, p.OutputThroughput, p.TotalTokenThroughput,
            p.OutputThroughputPerGpu, p.PerUserTokensPerSecond,
            p.Latency("median", "ttft"), p.Latency("p99", "ttft"), p.Latency("median", "tpot"), p.Latency("p99", "tpot"),
            p.Latency("median", "itl"), p.Latency("p99", "itl"), p.Latency("mean", "e2el"), p.Latency("p99", "e2el"),
            p.MeetsSlo, p.GoodputRps, p.SolOutputThroughput, p.SolFraction, p.SolRequestThroughput, p.SolTpotMs, p.SolTtftMs,
            p.CostPerRequest, p.CostPerGoodRequest, p.CostPer1MOutputTokens, p.CostPer1MTotalTokens, p.Completed, p.Failed, p.UsefulFraction)));
    }
}
